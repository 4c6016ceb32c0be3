locals {
  create_queue = var.create && var.target_queue_arn == null
  queue_name   = coalesce(var.queue.name, var.name)

  target_arn      = local.create_queue ? aws_sqs_queue.this[0].arn : var.target_queue_arn
  dead_letter_arn = var.target_dead_letter_arn != null ? var.target_dead_letter_arn : try(aws_sqs_queue.dlq[0].arn, null)
}

resource "aws_cloudwatch_event_rule" "this" {
  count = var.create ? 1 : 0

  name           = var.name
  description    = var.description
  event_bus_name = var.event_bus_name
  event_pattern  = var.event_pattern
  tags           = var.tags

  lifecycle {
    precondition {
      condition     = var.target_queue_arn == null || var.target_dead_letter_arn != null
      error_message = "With an existing target_queue_arn, also pass target_dead_letter_arn."
    }
  }
}

resource "aws_cloudwatch_event_target" "this" {
  count = var.create ? 1 : 0

  rule           = aws_cloudwatch_event_rule.this[0].name
  event_bus_name = var.event_bus_name
  target_id      = "sqs"
  arn            = local.target_arn

  retry_policy {
    maximum_retry_attempts       = var.retry_policy.maximum_retry_attempts
    maximum_event_age_in_seconds = var.retry_policy.maximum_event_age_in_seconds
  }

  dead_letter_config {
    arn = local.dead_letter_arn
  }
}

# One dead-letter queue for both failure kinds: events EventBridge could not deliver
# and messages the consumer failed maxReceiveCount times.
resource "aws_sqs_queue" "dlq" {
  count = local.create_queue ? 1 : 0

  name                      = "${local.queue_name}-dlq"
  message_retention_seconds = var.queue.dlq_message_retention_seconds
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "this" {
  count = local.create_queue ? 1 : 0

  name                       = local.queue_name
  visibility_timeout_seconds = var.queue.visibility_timeout_seconds
  message_retention_seconds  = var.queue.message_retention_seconds
  receive_wait_time_seconds  = var.queue.receive_wait_time_seconds
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[0].arn
    maxReceiveCount     = var.queue.max_receive_count
  })

  tags = var.tags
}

data "aws_iam_policy_document" "queue" {
  count = var.create ? 1 : 0

  statement {
    sid       = "AllowEventBridgeRule"
    actions   = ["sqs:SendMessage"]
    resources = [local.target_arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.this[0].arn]
    }
  }
}

data "aws_iam_policy_document" "dlq" {
  count = local.create_queue ? 1 : 0

  statement {
    sid       = "AllowEventBridgeDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq[0].arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.this[0].arn]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  count = local.create_queue ? 1 : 0

  queue_url = aws_sqs_queue.this[0].id
  policy    = data.aws_iam_policy_document.queue[0].json
}

resource "aws_sqs_queue_policy" "dlq" {
  count = local.create_queue ? 1 : 0

  queue_url = aws_sqs_queue.dlq[0].id
  policy    = data.aws_iam_policy_document.dlq[0].json
}
