# `terraform test` of the module with a mocked aws provider (needs the provider plugin).

mock_provider "aws" {
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:123456789012:queue"
      url = "https://sqs.eu-west-1.amazonaws.com/123456789012/queue"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/productshot/catalogue" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { id = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  name           = "catalogue-images"
  event_bus_name = "productshot"
  event_pattern  = "{\"detail-type\":[\"ProductImageGenerated\"],\"detail\":{\"tenant\":[\"catalogue\"]}}"
}

run "creates_queue_dlq_and_policy_without_a_role" {
  command = apply

  assert {
    condition     = aws_sqs_queue.this[0].name == "catalogue-images" && aws_sqs_queue.dlq[0].name == "catalogue-images-dlq"
    error_message = "The module creates the queue and its DLQ."
  }

  assert {
    condition     = length(aws_iam_role.delivery) == 0 && aws_cloudwatch_event_target.this[0].role_arn == null
    error_message = "A same-account queue target has no role."
  }
}

run "bus_to_bus_goes_through_a_role" {
  command = apply

  variables {
    target = { event_bus_arn = "arn:aws:events:us-east-1:444455556666:event-bus/default" }
  }

  assert {
    condition     = length(aws_iam_role.delivery) == 1 && length(aws_sqs_queue.this) == 0 && length(aws_sqs_queue.dlq) == 1
    error_message = "A bus target gets a delivery role and a DLQ here, no queue."
  }
}

run "cross_account_queue_goes_through_a_role" {
  command = apply

  variables {
    target = { queue_arn = "arn:aws:sqs:eu-west-1:444455556666:catalogue" }
  }

  assert {
    condition     = length(aws_iam_role.delivery) == 1 && output.delivery_role_arn == "arn:aws:iam::123456789012:role/catalogue-images-delivery"
    error_message = "A queue in another account is delivered to through the named role."
  }
}

run "cross_account_queue_in_another_region_is_refused" {
  command = plan

  variables {
    target = { queue_arn = "arn:aws:sqs:us-east-1:444455556666:catalogue" }
  }

  expect_failures = [aws_cloudwatch_event_rule.this]
}

run "rejects_a_pattern_that_is_not_json" {
  command = plan

  variables {
    event_pattern = "detail-type: ProductImageGenerated"
  }

  expect_failures = [var.event_pattern]
}
