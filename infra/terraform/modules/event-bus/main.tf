data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  # Which rules deliver to (or dead-letter into) each queue: one policy per queue.
  queue_senders = {
    for key, queue in var.queues : key => distinct(concat(
      [for rule_key, r in var.rules : rule_key if r.target_queue == key],
      [for rule_key, r in var.rules : rule_key if r.target_dlq == key],
    ))
  }

  create_registry            = var.create && var.schema_registry.create
  registry_reader_principals = [for id in var.schema_registry.reader_account_ids : "arn:${data.aws_partition.current.partition}:iam::${id}:root"]
  create_registry_policy = local.create_registry && (
    length(var.schema_registry.reader_account_ids) > 0 || var.schema_registry.reader_organization_id != null
  )

  # The registry accepts OpenAPI 3 and JSON Schema Draft 4 only. Our files are draft-07
  # documents that use no draft-06/07 validation keyword (tests/infra pins this), so the
  # registered copy is the same schema declared as draft-04: "$schema" names draft-04 and
  # "$id" becomes draft-04's "id". The files stay the source of truth.
  registered_schemas = {
    for name, s in var.schema_registry.schemas : name => {
      description = s.description
      content = jsonencode(merge(
        { for k, v in jsondecode(s.content) : k => v if !contains(["$schema", "$id"], k) },
        { "$schema" = "http://json-schema.org/draft-04/schema#" },
        can(jsondecode(s.content)["$id"]) ? { id = jsondecode(s.content)["$id"] } : {},
      ))
    }
  }
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

resource "aws_schemas_registry" "this" {
  count = local.create_registry ? 1 : 0

  name        = var.schema_registry.name
  description = var.schema_registry.description
  tags        = var.tags
}

resource "aws_schemas_schema" "this" {
  for_each = local.create_registry ? local.registered_schemas : {}

  name          = each.key
  registry_name = aws_schemas_registry.this[0].name
  type          = "JSONSchemaDraft4"
  description   = each.value.description
  content       = each.value.content
  tags          = var.tags
}

locals {
  # What a reader of the schemas may do, granted alike to reader accounts and the organisation.
  registry_read_actions = [
    "schemas:DescribeRegistry",
    "schemas:ListSchemas",
    "schemas:SearchSchemas",
    "schemas:DescribeSchema",
    "schemas:ListSchemaVersions",
    "schemas:ExportSchema",
    "schemas:GetCodeBindingSource",
    "schemas:DescribeCodeBinding",
  ]
  registry_read_resources = local.create_registry_policy ? [
    aws_schemas_registry.this[0].arn,
    "${replace(aws_schemas_registry.this[0].arn, ":registry/", ":schema/")}/*",
  ] : []
}

# Subscriber accounts read the schemas (console, CLI, code bindings) without access to
# anything else here.
data "aws_iam_policy_document" "registry" {
  count = local.create_registry_policy ? 1 : 0

  dynamic "statement" {
    for_each = length(local.registry_reader_principals) > 0 ? [1] : []

    content {
      sid       = "ReaderAccountsReadSchemas"
      actions   = local.registry_read_actions
      resources = local.registry_read_resources

      principals {
        type        = "AWS"
        identifiers = local.registry_reader_principals
      }
    }
  }

  dynamic "statement" {
    for_each = var.schema_registry.reader_organization_id != null ? [1] : []

    content {
      sid       = "ReaderOrganizationReadsSchemas"
      actions   = local.registry_read_actions
      resources = local.registry_read_resources

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = [var.schema_registry.reader_organization_id]
      }
    }
  }
}

resource "aws_schemas_registry_policy" "this" {
  count = local.create_registry_policy ? 1 : 0

  registry_name = aws_schemas_registry.this[0].name
  policy        = data.aws_iam_policy_document.registry[0].json
}
