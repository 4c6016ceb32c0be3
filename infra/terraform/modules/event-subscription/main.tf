# A rule on an event bus of THIS account, delivering what matches its pattern to one
# target, as the AWS EventBridge guide documents each case:
#   - a queue the module creates here, or an existing queue/function of this account:
#     no role; the target's resource policy admits events.amazonaws.com for this rule
#     (aws:SourceArn), which the module attaches to what it creates (or outputs);
#   - an event bus in another account or region ("bus-to-bus"): an execution role here
#     allowed events:PutEvents on that bus; the receiving bus's policy admits our account
#     (modules/event-subscription/receiver, in the receiving account);
#   - an SQS queue or Lambda function in another account of the same region ("cross-account
#     targets"): an execution role here allowed to send/invoke, and the target's resource
#     policy admits that role (output target_policy_json; receiver module).
# Only the bus owner can add such a target: AWS does not let another account's PutTargets
# attach a cross-account target (other than a bus) to our bus.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  given_arn     = coalesce(var.target.event_bus_arn, var.target.queue_arn, var.target.function_arn, "none")
  create_queue  = var.create && local.given_arn == "none"
  target_kind   = var.target.event_bus_arn != null ? "bus" : var.target.queue_arn != null || local.create_queue ? "queue" : "function"
  target_arn    = local.create_queue ? try(aws_sqs_queue.this[0].arn, null) : local.given_arn
  target_region = try(split(":", local.given_arn)[3], data.aws_region.current.id)
  target_owner  = try(split(":", local.given_arn)[4], data.aws_caller_identity.current.account_id)
  cross_account = local.target_owner != data.aws_caller_identity.current.account_id

  # A bus target always goes through a role; a queue or function only across accounts
  # (the guide warns against a role on a same-account SQS/Lambda target).
  use_role  = var.create && (local.target_kind == "bus" || local.cross_account)
  role_name = "${var.name}-delivery"
  role_arn  = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${local.role_name}"

  create_dlq      = var.create && var.target_dead_letter_arn == null
  dead_letter_arn = local.create_dlq ? try(aws_sqs_queue.dlq[0].arn, null) : var.target_dead_letter_arn
  queue_name      = coalesce(var.queue.name, var.name)

  delivery_action = {
    bus      = "events:PutEvents"
    queue    = "sqs:SendMessage"
    function = "lambda:InvokeFunction"
  }[local.target_kind]
}

locals {
  # With tenants given, the rule matches only their events, whatever the pattern says about
  # detail.tenant: a subscriber limited to its own tenants cannot widen that by its pattern.
  event_pattern = length(var.tenants) == 0 ? var.event_pattern : jsonencode(merge(
    jsondecode(var.event_pattern),
    { detail = merge(try(jsondecode(var.event_pattern).detail, {}), { tenant = var.tenants }) },
  ))
}

resource "aws_cloudwatch_event_rule" "this" {
  count = var.create ? 1 : 0

  name           = var.name
  description    = var.description
  event_bus_name = var.event_bus_name
  event_pattern  = local.event_pattern
  tags           = var.tags

  lifecycle {
    precondition {
      condition     = length(compact([var.target.event_bus_arn, var.target.queue_arn, var.target.function_arn])) <= 1
      error_message = "Give at most one of target.event_bus_arn, target.queue_arn and target.function_arn (none: the module creates a queue)."
    }

    precondition {
      condition     = local.target_kind == "bus" || local.target_region == data.aws_region.current.id
      error_message = "A queue or function target must be in the bus's region (only an event bus may be in another region)."
    }
  }
}

resource "aws_cloudwatch_event_target" "this" {
  count = var.create ? 1 : 0

  rule           = aws_cloudwatch_event_rule.this[0].name
  event_bus_name = var.event_bus_name
  target_id      = local.target_kind
  arn            = local.target_arn
  role_arn       = local.use_role ? aws_iam_role.delivery[0].arn : null

  # A bus target has no retry policy or DLQ of its own in the receiving account: these
  # cover the hop out of our bus.
  retry_policy {
    maximum_retry_attempts       = var.retry_policy.maximum_retry_attempts
    maximum_event_age_in_seconds = var.retry_policy.maximum_event_age_in_seconds
  }

  dead_letter_config {
    arn = local.dead_letter_arn
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "delivery" {
  count = local.use_role ? 1 : 0

  name               = local.role_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "delivery" {
  count = local.use_role ? 1 : 0

  statement {
    sid       = "DeliverToTarget"
    actions   = [local.delivery_action]
    resources = [local.target_arn]
  }
}

resource "aws_iam_role_policy" "delivery" {
  count = local.use_role ? 1 : 0

  name   = local.role_name
  role   = aws_iam_role.delivery[0].id
  policy = data.aws_iam_policy_document.delivery[0].json
}

# What the target's owner attaches: the statement admitting this rule (same account) or
# this rule's role (another account). For a bus, see the receiver module.
data "aws_iam_policy_document" "target" {
  count = var.create && local.target_kind != "bus" ? 1 : 0

  statement {
    sid       = "AllowProductshotRule"
    actions   = [local.delivery_action]
    resources = [local.target_arn]

    principals {
      type        = local.use_role ? "AWS" : "Service"
      identifiers = local.use_role ? [local.role_arn] : ["events.amazonaws.com"]
    }

    dynamic "condition" {
      for_each = local.use_role ? [] : [1]

      content {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [aws_cloudwatch_event_rule.this[0].arn]
      }
    }
  }
}

# A same-account function: the invoke permission for this rule.
resource "aws_lambda_permission" "this" {
  count = var.create && local.target_kind == "function" && !local.cross_account ? 1 : 0

  statement_id  = "productshot-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = local.target_arn
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.this[0].arn
}
