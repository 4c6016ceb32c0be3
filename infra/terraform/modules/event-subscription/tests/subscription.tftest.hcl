# `terraform test` of the module with a mocked aws provider (needs the provider plugin).

mock_provider "aws" {
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-west-1:111122223333:queue"
      url = "https://sqs.eu-west-1.amazonaws.com/111122223333/queue"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = "arn:aws:events:eu-west-1:123456789012:rule/productshot/catalogue" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  name           = "catalogue-images"
  event_bus_name = "arn:aws:events:eu-west-1:123456789012:event-bus/productshot"
  event_pattern  = "{\"detail-type\":[\"ProductImageGenerated\"],\"detail\":{\"tenant\":[\"catalogue\"]}}"
}

run "creates_queue_dlq_and_policy" {
  command = apply

  assert {
    condition     = aws_sqs_queue.this[0].name == "catalogue-images" && aws_sqs_queue.dlq[0].name == "catalogue-images-dlq"
    error_message = "The module creates the queue and its DLQ."
  }

  assert {
    condition     = length(aws_sqs_queue_policy.this) == 1 && length(aws_sqs_queue_policy.dlq) == 1
    error_message = "Both queues get a policy admitting the rule."
  }

  assert {
    condition     = aws_cloudwatch_event_target.this[0].dead_letter_config[0].arn == aws_sqs_queue.dlq[0].arn
    error_message = "Undeliverable events go to the DLQ."
  }
}

run "uses_an_existing_queue" {
  command = apply

  variables {
    target_queue_arn       = "arn:aws:sqs:eu-west-1:111122223333:analytics"
    target_dead_letter_arn = "arn:aws:sqs:eu-west-1:111122223333:analytics-dlq"
  }

  assert {
    condition     = length(aws_sqs_queue.this) == 0 && output.queue_arn == "arn:aws:sqs:eu-west-1:111122223333:analytics"
    error_message = "An existing queue is used, none created."
  }

  assert {
    condition     = output.queue_policy_json != null
    error_message = "The policy statement to merge is an output."
  }
}

run "existing_queue_needs_a_dlq" {
  command = plan

  variables {
    target_queue_arn = "arn:aws:sqs:eu-west-1:111122223333:analytics"
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
