# The sweeper (`python -m services.sweeper --once`, docs/reliability.md): re-drives or
# fails stuck jobs, and nudges stalled batches (or fails their queued rows). It ships in the scraper's image and runs as a one-shot ECS task that
# EventBridge Scheduler starts every few minutes; two sweeps at once act on a job once.

locals {
  sweeper_name = "${var.name_prefix}productshot-sweeper"
  # The index DynamoJobStore.find_unfinished queries (services/common/job_store.py), as
  # infra/topology.json's services.sweeper declares it.
  sweeper_status_index = one(local.services.sweeper.indexes)
  # The batches table's indexes the batch sweep reads (DynamoBatchStore's defaults):
  # queued-rows (scanned for stalled batches) and tenant-createdAt (a tenant's running batches).
  sweeper_queued_index = one([for g in local.batches_table.global_secondary_indexes : g.name if g.name == "queued-rows"])
  sweeper_tenant_index = one([for g in local.batches_table.global_secondary_indexes : g.name if g.name == "tenant-createdAt"])
  # Every revision of the sweeper's task definition family (for the scheduler's RunTask).
  sweeper_task_definition_family_arn = "arn:${local.partition}:ecs:${var.aws_region}:${local.account_id}:task-definition/${local.sweeper_name}:*"
}

module "sweeper" {
  source = "./modules/ecs-service"

  name           = local.sweeper_name
  create         = var.create_sweeper
  create_service = false # started by the schedule below, never kept running
  cluster        = { arn = aws_ecs_cluster.this.arn, name = aws_ecs_cluster.this.name }
  image          = "${module.ecr.repository_urls[local.service_specs.scraper.repository]}:${var.image_tag}"
  # The scraper image's ENTRYPOINT is `python -m services.scraper`: replace it, not only CMD.
  entry_point = ["python", "-m", "services.sweeper"]
  command     = ["--once"]
  cpu         = 256
  memory      = 512
  # The batches table and the batch worker's queue for the batch sweep.
  environment = merge(local.common_environment, local.batch_environment)
  # No health check: the task runs one sweep and exits (ECS ignores the image's HEALTHCHECK).
  health_check          = null
  execution_role_arn    = aws_iam_role.execution.arn
  task_role_policy_json = data.aws_iam_policy_document.sweeper.json
  log_retention_days    = var.log_retention_days
  log_kms_key_arn       = aws_kms_key.this.arn
  vpc_id                = module.network.vpc_id
  subnet_ids            = module.network.private_subnet_ids
  egress_ports          = [443] # AWS APIs only (DynamoDB and S3 through the gateway endpoints)
}

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "sweeper_scheduler" {
  count = var.create_sweeper ? 1 : 0

  name               = "${local.sweeper_name}-scheduler"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
}

resource "aws_iam_role_policy" "sweeper_scheduler" {
  count = var.create_sweeper ? 1 : 0

  name   = "${local.sweeper_name}-scheduler"
  role   = aws_iam_role.sweeper_scheduler[0].id
  policy = data.aws_iam_policy_document.sweeper_scheduler[0].json
}

resource "aws_scheduler_schedule" "sweeper" {
  #checkov:skip=CKV_AWS_297:The schedule holds only ARNs, subnet and security group ids and "--once"; no data that a customer-managed key would protect better than the AWS-owned key.
  count = var.create_sweeper ? 1 : 0

  name        = local.sweeper_name
  group_name  = "default"
  description = "Runs python -m services.sweeper --once (re-drive or fail stuck jobs)."
  # Disabled until the services (and so the images) exist: see the apply order in docs/deploy.md.
  state                        = var.create_services ? "ENABLED" : "DISABLED"
  schedule_expression          = var.sweeper_schedule_expression
  schedule_expression_timezone = "UTC"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_ecs_cluster.this.arn
    role_arn = aws_iam_role.sweeper_scheduler[0].arn

    ecs_parameters {
      task_definition_arn = module.sweeper.task_definition_arn
      task_count          = 1
      launch_type         = "FARGATE"
      platform_version    = "LATEST"
      # The scheduler starts the task itself: without these its tasks carry no tags (cost
      # allocation by Environment/Owner would miss every sweep).
      propagate_tags          = "TASK_DEFINITION"
      enable_ecs_managed_tags = true
      tags                    = local.tags

      network_configuration {
        subnets          = module.network.private_subnet_ids
        security_groups  = [module.sweeper.security_group_id]
        assign_public_ip = false
      }
    }

    # A sweep that could not start is not worth starting late: the next one is minutes away.
    retry_policy {
      maximum_event_age_in_seconds = 300
      maximum_retry_attempts       = 2
    }
  }

  lifecycle {
    precondition {
      condition     = contains([for i in local.table.global_secondary_indexes : i.name], local.sweeper_status_index)
      error_message = "The sweeper queries the table's ${local.sweeper_status_index} index, which infra/topology.json's table no longer declares."
    }
  }
}
