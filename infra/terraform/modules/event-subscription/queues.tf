# The queue the module creates when no target is given (same account as the bus), and the
# dead-letter queue of the rule's target (always in the bus's account: EventBridge writes
# undeliverable events next to the rule).

resource "aws_sqs_queue" "dlq" {
  count = local.create_dlq ? 1 : 0

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

  # The consumer's failures go to the same DLQ as EventBridge's delivery failures.
  redrive_policy = local.create_dlq ? jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[0].arn
    maxReceiveCount     = var.queue.max_receive_count
  }) : null

  tags = var.tags
}

data "aws_iam_policy_document" "queue" {
  count = local.create_queue ? 1 : 0

  statement {
    sid       = "AllowEventBridgeRule"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this[0].arn]

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
  count = local.create_dlq ? 1 : 0

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
  count = local.create_dlq ? 1 : 0

  queue_url = aws_sqs_queue.dlq[0].id
  policy    = data.aws_iam_policy_document.dlq[0].json
}
