# infra/topology.json is read by jsondecode, which accepts any JSON: these preconditions
# stop a plan whose file names a queue, parameter or index it does not declare (the same
# shape tests/infra checks with a JSON Schema, so a typo fails before any apply).
resource "terraform_data" "topology" {
  input = sha256(jsonencode(local.topology))

  lifecycle {
    precondition {
      condition = alltrue([
        for s in values(local.services) :
        (s.consumes == null || contains(keys(local.queues), coalesce(s.consumes, "-"))) &&
        alltrue([for q in s.sends_to : contains(keys(local.queues), q)])
      ])
      error_message = "infra/topology.json: a service consumes or sends to a queue that \"queues\" does not declare."
    }

    precondition {
      condition     = alltrue([for s in values(local.services) : alltrue([for p in s.parameters : contains(keys(local.ssm_parameters), p)])])
      error_message = "infra/topology.json: a service reads an SSM parameter that \"ssm\" does not declare."
    }

    precondition {
      condition = alltrue([
        for s in values(local.services) : alltrue([for i in s.indexes : contains([for g in local.table.global_secondary_indexes : g.name], i)])
      ])
      error_message = "infra/topology.json: a service queries a table index that \"table.global_secondary_indexes\" does not declare."
    }

    precondition {
      condition     = alltrue([for r in values(local.rules) : contains(keys(local.queues), r.target_queue) && contains(keys(local.extra_queues), r.target_dlq)])
      error_message = "infra/topology.json: a rule targets a queue or dead-letter queue that is not declared."
    }

    # A job's images live as long as its record (rounded up to whole days, S3's unit): no
    # image outlives the job that could list or delete it by more than S3's day rounding.
    precondition {
      condition     = local.topology.bucket.lifecycle_expiration_days == ceil(local.topology.job_ttl_hours / 24)
      error_message = "infra/topology.json: bucket.lifecycle_expiration_days must be job_ttl_hours / 24, rounded up."
    }

    precondition {
      condition     = length(setsubtract(["api", "scraper", "renderer", "sweeper", "batcher"], keys(local.services))) == 0
      error_message = "infra/topology.json: \"services\" must describe api, scraper, renderer, sweeper and batcher."
    }
  }
}
