# The subscriber's side of a cross-account subscription, applied in the SUBSCRIBER's
# account. Productshot's rule (modules/event-subscription, applied by Productshot) delivers
# either to this account's event bus (delivery = "bus") or straight to the queue created
# here (delivery = "queue", same region as Productshot's bus). Either way the sender is
# Productshot's delivery role, named "<subscription rule name>-delivery" in its account.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  sender_root = "arn:${data.aws_partition.current.partition}:iam::${var.sender.account_id}:root"
  sender_role = "arn:${data.aws_partition.current.partition}:iam::${var.sender.account_id}:role/${var.sender.rule_name}-delivery"
  via_bus     = var.delivery == "bus"
  # Events forwarded bus-to-bus keep their account and source: match Productshot's.
  bus_pattern = coalesce(var.event_pattern, jsonencode({
    account = [var.sender.account_id]
    source  = [{ prefix = "productshot." }]
  }))
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name}-dlq"
  message_retention_seconds = var.queue.dlq_message_retention_seconds
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "this" {
  name                       = var.name
  visibility_timeout_seconds = var.queue.visibility_timeout_seconds
  message_retention_seconds  = var.queue.message_retention_seconds
  receive_wait_time_seconds  = var.queue.receive_wait_time_seconds
  # SSE-SQS: a customer-managed key would also need a grant for the sender's role.
  sqs_managed_sse_enabled = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.queue.max_receive_count
  })

  tags = var.tags
}

# Bus-to-bus: Productshot's role may put events on this account's bus.
data "aws_iam_policy_document" "bus" {
  count = local.via_bus ? 1 : 0

  statement {
    sid       = "ProductshotDeliversEvents"
    actions   = ["events:PutEvents"]
    resources = [data.aws_cloudwatch_event_bus.this[0].arn]

    principals {
      type        = "AWS"
      identifiers = [local.sender_root]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = [local.sender_role]
    }
  }
}

data "aws_cloudwatch_event_bus" "this" {
  count = local.via_bus ? 1 : 0

  name = var.event_bus_name
}

# A bus has one policy: with manage_bus_policy = false, merge output bus_policy_json into
# the policy you already keep for this bus instead.
resource "aws_cloudwatch_event_bus_policy" "this" {
  count = local.via_bus && var.manage_bus_policy ? 1 : 0

  event_bus_name = var.event_bus_name
  policy         = data.aws_iam_policy_document.bus[0].json
}

resource "aws_cloudwatch_event_rule" "this" {
  count = local.via_bus ? 1 : 0

  name           = var.name
  description    = "Productshot events forwarded from account ${var.sender.account_id}."
  event_bus_name = var.event_bus_name
  event_pattern  = local.bus_pattern
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  count = local.via_bus ? 1 : 0

  rule           = aws_cloudwatch_event_rule.this[0].name
  event_bus_name = var.event_bus_name
  target_id      = "sqs"
  arn            = aws_sqs_queue.this.arn

  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }
}

data "aws_iam_policy_document" "queue" {
  # bus: this account's rule sends (and dead-letters); queue: Productshot's role sends.
  statement {
    sid       = local.via_bus ? "AllowOwnRule" : "AllowProductshotDeliveryRole"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = local.via_bus ? "Service" : "AWS"
      identifiers = local.via_bus ? ["events.amazonaws.com"] : [local.sender_root]
    }

    condition {
      test     = "ArnEquals"
      variable = local.via_bus ? "aws:SourceArn" : "aws:PrincipalArn"
      values   = local.via_bus ? [aws_cloudwatch_event_rule.this[0].arn] : [local.sender_role]
    }
  }
}

data "aws_iam_policy_document" "dlq" {
  count = local.via_bus ? 1 : 0

  statement {
    sid       = "AllowOwnRuleDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn]

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
  queue_url = aws_sqs_queue.this.id
  policy    = data.aws_iam_policy_document.queue.json
}

resource "aws_sqs_queue_policy" "dlq" {
  count = local.via_bus ? 1 : 0

  queue_url = aws_sqs_queue.dlq.id
  policy    = data.aws_iam_policy_document.dlq[0].json
}
