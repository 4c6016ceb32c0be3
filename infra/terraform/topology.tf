# Everything Terraform knows about names and messaging/storage settings comes from
# infra/topology.json, the file the local bootstrap reads too. This file holds only
# locals derived from it (no resources), so tests can evaluate it on its own.
#
# Naming rule: var.name_prefix is prepended to every name that must be unique per
# deployment (queues, bus, archive, rules, table, bucket). SSM parameters get it on their
# first path segment ("/productshot/x" -> "/<prefix>productshot/x"). An empty prefix gives
# exactly the local (LocalStack) names.
locals {
  topology = jsondecode(file("${path.module}/../topology.json"))

  # EventBridge source of each emitting service (services/common/events.py).
  sources = local.topology.sources

  # What each program touches, by the names above: the task roles (iam.tf), the settings
  # (compute.tf) and the sweeper (sweeper.tf) are built from this, never from literals.
  services = {
    for name, s in local.topology.services : name => {
      event_sources = [for emitter in s.publishes_as : local.sources[emitter]]
      consumes      = s.consumes
      sends_to      = s.sends_to
      parameters    = s.reads_parameters
      indexes       = s.queries_indexes
    }
  }

  bus = {
    name                   = "${var.name_prefix}${local.topology.bus.name}"
    archive_name           = "${var.name_prefix}${local.topology.bus.archive.name}"
    archive_retention_days = local.topology.bus.archive.retention_days
  }

  # Work queues and their dead-letter queues, keyed by the local (unprefixed) name.
  queues = {
    for key, q in local.topology.queues : key => {
      name                          = "${var.name_prefix}${key}"
      visibility_timeout_seconds    = q.visibility_timeout_seconds
      message_retention_seconds     = q.message_retention_seconds
      receive_wait_time_seconds     = q.receive_wait_time_seconds
      max_receive_count             = q.max_receive_count
      dlq_name                      = "${var.name_prefix}${q.dlq.name}"
      dlq_message_retention_seconds = q.dlq.message_retention_seconds
    }
  }

  # Queues that are themselves dead-letter queues (for EventBridge targets).
  extra_queues = {
    for key, q in local.topology.extra_queues : key => {
      name                      = "${var.name_prefix}${key}"
      message_retention_seconds = q.message_retention_seconds
    }
  }

  rules = {
    for key, r in local.topology.rules : key => {
      name                         = "${var.name_prefix}${key}"
      description                  = r.description
      event_pattern                = jsonencode(r.event_pattern)
      target_queue                 = r.target_queue
      target_dlq                   = r.target_dlq
      maximum_retry_attempts       = r.retry_policy.maximum_retry_attempts
      maximum_event_age_in_seconds = r.retry_policy.maximum_event_age_in_seconds
    }
  }

  table = {
    name          = "${var.name_prefix}${local.topology.table.name}"
    hash_key      = local.topology.table.hash_key
    range_key     = try(local.topology.table.range_key, null)
    ttl_attribute = local.topology.table.ttl_attribute
    attributes    = [for name, type in local.topology.table.attributes : { name = name, type = type }]
    global_secondary_indexes = [
      for name, gsi in local.topology.table.global_secondary_indexes : {
        name            = name
        hash_key        = gsi.hash_key
        range_key       = try(gsi.range_key, null)
        projection_type = gsi.projection
      }
    ]
  }

  # The batches table (batch heads and rows): same shape of entry as the jobs table.
  batches_table = {
    name          = "${var.name_prefix}${local.topology.batches_table.name}"
    hash_key      = local.topology.batches_table.hash_key
    range_key     = try(local.topology.batches_table.range_key, null)
    ttl_attribute = local.topology.batches_table.ttl_attribute
    attributes    = [for name, type in local.topology.batches_table.attributes : { name = name, type = type }]
    global_secondary_indexes = [
      for name, gsi in local.topology.batches_table.global_secondary_indexes : {
        name            = name
        hash_key        = gsi.hash_key
        range_key       = try(gsi.range_key, null)
        projection_type = gsi.projection
      }
    ]
  }

  bucket = {
    name                      = "${var.name_prefix}${local.topology.bucket.name}"
    lifecycle_expiration_days = local.topology.bucket.lifecycle_expiration_days
    images_prefix             = local.topology.bucket.images_prefix
    batches_prefix            = local.topology.bucket.batches_prefix
    # What expires after lifecycle_expiration_days: a job's files and a batch's files
    # (its stored request and its ZIP) live as long as the images. Key: the rule's name.
    expiring_prefixes = {
      images  = local.topology.bucket.images_prefix
      batches = local.topology.bucket.batches_prefix
    }
  }

  ssm_parameters = {
    for key, p in local.topology.ssm : key => {
      name = "/${var.name_prefix}${trimprefix(p.name, "/")}"
      type = p.type
    }
  }
}
