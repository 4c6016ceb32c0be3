module "queues" {
  source   = "./modules/sqs-queue"
  for_each = local.queues

  name                       = each.value.name
  visibility_timeout_seconds = each.value.visibility_timeout_seconds
  message_retention_seconds  = each.value.message_retention_seconds
  receive_wait_time_seconds  = each.value.receive_wait_time_seconds
  dlq = {
    name                      = each.value.dlq_name
    message_retention_seconds = each.value.dlq_message_retention_seconds
    max_receive_count         = each.value.max_receive_count
  }
}

# Dead-letter queues of EventBridge targets (events the bus could not deliver).
module "extra_queues" {
  source   = "./modules/sqs-queue"
  for_each = local.extra_queues

  name                      = each.value.name
  message_retention_seconds = each.value.message_retention_seconds
  create_dlq                = false
}

locals {
  # Every JSON Schema under services/common/event_schemas/<DetailType>/v<N>.json is
  # registered as "productshot.<DetailType>.v<N>"; a new file registers on the next apply.
  event_schema_dir = "${path.module}/../../services/common/event_schemas"
  event_schemas = {
    for f in fileset(local.event_schema_dir, "*/v*.json") :
    "productshot.${dirname(f)}.${trimsuffix(basename(f), ".json")}" => {
      content     = file("${local.event_schema_dir}/${f}")
      description = "detail of ${dirname(f)} events, ${trimsuffix(basename(f), ".json")}"
    }
  }
}

module "event_bus" {
  source = "./modules/event-bus"

  name = local.bus.name
  archive = {
    name           = local.bus.archive_name
    retention_days = local.bus.archive_retention_days
  }

  queues = merge(
    { for k, q in module.queues : k => { arn = q.queue_arn, url = q.queue_url } },
    { for k, q in module.extra_queues : k => { arn = q.queue_arn, url = q.queue_url } },
  )
  rules = local.rules

  schema_registry = {
    create                 = var.create_schema_registry
    name                   = local.bus.name
    description            = "JSON Schemas of the detail of Productshot's events."
    schemas                = local.event_schemas
    reader_account_ids     = var.event_readers.account_ids
    reader_organization_id = var.event_readers.organization_id
  }
}

# Other teams' subscriptions (docs/events.md): a rule on our bus per entry, delivering to
# their bus (bus-to-bus) or straight to their queue or function in another account.
module "event_subscriptions" {
  source   = "./modules/event-subscription"
  for_each = var.event_subscriptions

  name           = "${var.name_prefix}to-${each.key}"
  description    = "Productshot events for ${each.key}."
  event_bus_name = module.event_bus.bus_name
  event_pattern  = each.value.event_pattern
  tenants        = each.value.tenants
  target = {
    event_bus_arn = each.value.target.event_bus_arn
    queue_arn     = each.value.target.queue_arn
    function_arn  = each.value.target.function_arn
  }
  # Undeliverable events land in a DLQ the module creates here ("<name>-dlq", alarmed).
}
