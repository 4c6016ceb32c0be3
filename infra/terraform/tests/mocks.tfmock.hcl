# ARN-shaped values for the mocked provider: the provider validates ARNs it is handed,
# and generated mock values are random strings.
mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012" }
}

mock_data "aws_partition" {
  defaults = { partition = "aws" }
}

mock_data "aws_region" {
  defaults = { id = "eu-west-1", name = "eu-west-1" }
}

mock_data "aws_availability_zones" {
  defaults = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
}

mock_data "aws_vpc" {
  defaults = { cidr_block = "10.42.0.0/16" }
}

mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}

mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
}

mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:alarms" }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:eu-west-1:123456789012:queue"
    url = "https://sqs.eu-west-1.amazonaws.com/123456789012/queue"
  }
}

mock_resource "aws_cloudwatch_event_bus" {
  defaults = { arn = "arn:aws:events:eu-west-1:123456789012:event-bus/productshot" }
}

mock_resource "aws_cloudwatch_event_rule" {
  defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/productshot/rule" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:group" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/role" }
}

mock_resource "aws_lb" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/0123456789abcdef"
    arn_suffix = "app/api/0123456789abcdef"
  }
}

mock_resource "aws_lb_target_group" {
  defaults = {
    arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api-tg/0123456789abcdef"
    arn_suffix = "targetgroup/api-tg/0123456789abcdef"
  }
}

mock_resource "aws_ecr_repository" {
  defaults = {
    arn            = "arn:aws:ecr:eu-west-1:123456789012:repository/productshot"
    repository_url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/productshot"
  }
}

mock_resource "aws_ecs_cluster" {
  defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/productshot" }
}

mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/productshot:1" }
}

mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/productshot-jobs" }
}

mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::productshot-images" }
}

mock_resource "aws_ssm_parameter" {
  defaults = { arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/productshot/x" }
}

mock_resource "aws_schemas_registry" {
  defaults = { arn = "arn:aws:schemas:eu-west-1:123456789012:registry/productshot" }
}
