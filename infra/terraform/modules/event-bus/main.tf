data "aws_caller_identity" "current" {}

locals {
  # A rule on a custom bus has an ARN rule/<bus>/<rule>; other accounts' rules too.
  rule_arn_prefix = var.create ? "${replace(aws_cloudwatch_event_bus.this[0].arn, ":event-bus/", ":rule/")}/" : ""

  # Which rules deliver to (or dead-letter into) each queue: one policy per queue.
  queue_senders = {
    for key, queue in var.queues : key => distinct(concat(
      [for rule_key, r in var.rules : rule_key if r.target_queue == key],
      [for rule_key, r in var.rules : rule_key if r.target_dlq == key],
    ))
  }

  create_bus_policy = var.create && (length(var.rule_manager_account_ids) > 0 || var.rule_manager_organization_id != null)
}

resource "aws_cloudwatch_event_bus" "this" {
  count = var.create ? 1 : 0

  name = var.name
  tags = var.tags
}

resource "aws_cloudwatch_event_archive" "this" {
  count = var.create && var.archive.create ? 1 : 0

  name             = var.archive.name
  event_source_arn = aws_cloudwatch_event_bus.this[0].arn
  retention_days   = var.archive.retention_days
  description      = "Every event on ${var.name}, for replay."
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = var.create ? var.rules : {}

  name           = each.value.name
  description    = each.value.description
  event_bus_name = aws_cloudwatch_event_bus.this[0].name
  event_pattern  = each.value.event_pattern
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  for_each = var.create ? var.rules : {}

  rule           = aws_cloudwatch_event_rule.this[each.key].name
  event_bus_name = aws_cloudwatch_event_bus.this[0].name
  target_id      = each.value.target_queue
  arn            = var.queues[each.value.target_queue].arn

  retry_policy {
    maximum_retry_attempts       = each.value.maximum_retry_attempts
    maximum_event_age_in_seconds = each.value.maximum_event_age_in_seconds
  }

  dead_letter_config {
    arn = var.queues[each.value.target_dlq].arn
  }
}

data "aws_iam_policy_document" "queue" {
  for_each = var.create ? { for k, v in local.queue_senders : k => v if length(v) > 0 } : {}

  statement {
    sid       = "AllowEventBridgeRules"
    actions   = ["sqs:SendMessage"]
    resources = [var.queues[each.key].arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [for rule_key in each.value : aws_cloudwatch_event_rule.this[rule_key].arn]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  for_each = data.aws_iam_policy_document.queue

  queue_url = var.queues[each.key].url
  policy    = each.value.json
}

# Lets other accounts create rules on this bus that they own (events:creatorAccount),
# so a subscriber manages its subscription without access to anything else here.
data "aws_iam_policy_document" "bus" {
  count = local.create_bus_policy ? 1 : 0

  dynamic "statement" {
    for_each = length(var.rule_manager_account_ids) > 0 ? [1] : []

    content {
      sid = "AllowAccountsToManageOwnRules"
      actions = [
        "events:PutRule",
        "events:DeleteRule",
        "events:DescribeRule",
        "events:EnableRule",
        "events:DisableRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:ListTargetsByRule",
      ]
      resources = ["${local.rule_arn_prefix}*"]

      principals {
        type        = "AWS"
        identifiers = [for id in var.rule_manager_account_ids : "arn:aws:iam::${id}:root"]
      }

      condition {
        test     = "StringEqualsIfExists"
        variable = "events:creatorAccount"
        values   = ["$${aws:PrincipalAccount}"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.rule_manager_organization_id != null ? [1] : []

    content {
      sid = "AllowOrganizationToManageOwnRules"
      actions = [
        "events:PutRule",
        "events:DeleteRule",
        "events:DescribeRule",
        "events:EnableRule",
        "events:DisableRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:ListTargetsByRule",
      ]
      resources = ["${local.rule_arn_prefix}*"]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = [var.rule_manager_organization_id]
      }

      condition {
        test     = "StringEqualsIfExists"
        variable = "events:creatorAccount"
        values   = ["$${aws:PrincipalAccount}"]
      }
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "this" {
  count = local.create_bus_policy ? 1 : 0

  event_bus_name = aws_cloudwatch_event_bus.this[0].name
  policy         = data.aws_iam_policy_document.bus[0].json
}

resource "aws_schemas_registry" "this" {
  count = var.create && var.schema_registry.create ? 1 : 0

  name        = var.schema_registry.name
  description = var.schema_registry.description
  tags        = var.tags
}

resource "aws_schemas_schema" "this" {
  for_each = var.create && var.schema_registry.create ? var.schema_registry.schemas : {}

  name          = each.key
  registry_name = aws_schemas_registry.this[0].name
  type          = "JSONSchemaDraft4"
  description   = each.value.description
  content       = each.value.content
  tags          = var.tags
}
