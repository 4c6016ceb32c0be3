# One execution role shared by the task definitions (pull images, write logs, resolve the
# `secrets`), one task role per service (and the sweeper) with only what its code calls,
# and an optional policy operators attach to run the DLQ redrive.

locals {
  bucket_arn = module.images_bucket.bucket_arn
  images_arn = "${module.images_bucket.bucket_arn}/${local.bucket.images_prefix}*"
  # A batch's files: its stored request and its ZIP (batches/{batchId}/...).
  batch_files_arn = "${module.images_bucket.bucket_arn}/${local.bucket.batches_prefix}*"
  # The batches table and every index of it (the batch store queries all three).
  batches_table_arns = concat(
    [module.batches_table.table_arn],
    [for g in local.batches_table.global_secondary_indexes : "${module.batches_table.table_arn}/index/${g.name}"],
  )
  bus_arn  = module.event_bus.bus_arn
  ssm_arns = { for k, p in aws_ssm_parameter.this : k => p.arn }
  # Queues, parameters and indexes of each program, from infra/topology.json's "services".
  svc_send_arns = { for n, s in local.services : n => [for q in s.sends_to : module.queues[q].queue_arn] }
  svc_parameter_arns = {
    for n, s in local.services : n => [for p in s.parameters : local.ssm_arns[p] if contains(keys(local.ssm_arns), p)]
  }
  svc_index_arns = { for n, s in local.services : n => [for i in s.indexes : "${module.jobs_table.table_arn}/index/${i}"] }
  log_group_arns = [
    for name in concat([for s in values(local.service_specs) : s.name], var.create_sweeper ? [local.sweeper_name] : []) :
    "arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:/ecs/${name}:*"
  ]
  # KMS through DynamoDB only: the table is encrypted with the customer-managed key.
  dynamodb_kms_via = ["dynamodb.${var.aws_region}.amazonaws.com"]
  sqs_consume_actions = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueUrl",
    "sqs:GetQueueAttributes",
  ]
}

data "aws_iam_policy_document" "execution_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name_prefix}productshot-ecs-execution"
  assume_role_policy = data.aws_iam_policy_document.execution_assume.json
}

data "aws_iam_policy_document" "execution" {
  #checkov:skip=CKV_AWS_356:ecr:GetAuthorizationToken has no resource-level permissions; it must be "*". Every other statement is scoped.
  #checkov:skip=CKV_AWS_111:Same statement: ecr:GetAuthorizationToken only accepts "*".
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullServiceImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = values(module.ecr.repository_arns)
  }

  statement {
    sid       = "WriteServiceLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = local.log_group_arns
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "${var.name_prefix}productshot-ecs-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

data "aws_iam_policy_document" "api" {
  # DeleteItem: job deletion and abandoned idempotency records; DescribeTable: readiness.
  statement {
    sid = "Jobs"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
      "dynamodb:DescribeTable",
    ]
    resources = concat([module.jobs_table.table_arn], local.svc_index_arns.api)
  }

  # Batches: create a head, read heads and rows, list a tenant's batches (tenant index),
  # conditional status moves (cancel, archive requests). DescribeTable: readiness.
  statement {
    sid = "Batches"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:Query",
      "dynamodb:DescribeTable",
    ]
    resources = local.batches_table_arns
  }

  # Scrape requests for jobs, batch actions (start, cancel, archive) for the batch worker.
  statement {
    sid       = "EnqueueWork"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = local.svc_send_arns.api
  }

  statement {
    sid       = "PublishEvents"
    actions   = ["events:PutEvents"]
    resources = [local.bus_arn]

    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = local.services.api.event_sources
    }
  }

  # PutObject: a caller-supplied product photo; Get (presigned links) and Delete (job deletion
  # removes every version of the job's objects, hence DeleteObjectVersion).
  statement {
    sid       = "JobImages"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]
    resources = [local.images_arn]
  }

  # A batch's stored request (written on POST, read back), its ZIP (presigned links).
  statement {
    sid       = "BatchFiles"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [local.batch_files_arn]
  }

  # HeadBucket (readiness) is authorised as ListBucket, with no prefix to condition on;
  # ListBucketVersions finds the versions a job deletion removes.
  statement {
    sid       = "ReadinessAndMissingKeys"
    actions   = ["s3:ListBucket", "s3:ListBucketVersions"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "ReadApiKeys"
    actions   = ["ssm:GetParameter"]
    resources = local.svc_parameter_arns.api
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "ssm.${var.aws_region}.amazonaws.com",
        "s3.${var.aws_region}.amazonaws.com",
        "dynamodb.${var.aws_region}.amazonaws.com",
      ]
    }
  }
}

data "aws_iam_policy_document" "scraper" {
  statement {
    sid       = "ConsumeScrapes"
    actions   = local.sqs_consume_actions
    resources = [module.queues[local.services.scraper.consumes].queue_arn]
  }

  statement {
    sid       = "DeadLetterScrapes"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [module.queues[local.services.scraper.consumes].dlq_arn]
  }

  statement {
    sid       = "Jobs"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [module.jobs_table.table_arn]
  }

  statement {
    sid       = "PublishEvents"
    actions   = ["events:PutEvents"]
    resources = [local.bus_arn]

    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = local.services.scraper.event_sources
    }
  }

  statement {
    sid       = "StoreProductPhoto"
    actions   = ["s3:PutObject"]
    resources = [local.images_arn]
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.aws_region}.amazonaws.com", "dynamodb.${var.aws_region}.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "renderer" {
  statement {
    sid       = "ConsumeRenders"
    actions   = local.sqs_consume_actions
    resources = [module.queues[local.services.renderer.consumes].queue_arn]
  }

  statement {
    sid       = "DeadLetterRenders"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [module.queues[local.services.renderer.consumes].dlq_arn]
  }

  statement {
    sid       = "Jobs"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [module.jobs_table.table_arn]
  }

  statement {
    sid       = "PublishEvents"
    actions   = ["events:PutEvents"]
    resources = [local.bus_arn]

    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = local.services.renderer.event_sources
    }
  }

  statement {
    sid       = "ReadAndStoreImages"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [local.images_arn]
  }

  # The OpenAI key's one path: the renderer reads the SecureString itself at start-up
  # (RENDERER_OPENAI_API_KEY_SSM_PARAMETER); nothing injects it into the task definition.
  dynamic "statement" {
    for_each = length(local.svc_parameter_arns.renderer) > 0 ? [1] : []

    content {
      sid       = "ReadOpenAiKey"
      actions   = ["ssm:GetParameter"]
      resources = local.svc_parameter_arns.renderer
    }
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "ssm.${var.aws_region}.amazonaws.com",
        "s3.${var.aws_region}.amazonaws.com",
        "dynamodb.${var.aws_region}.amazonaws.com",
      ]
    }
  }
}

# The batch worker (services/batcher): consumes batch-work (batch actions and the job
# events of batch jobs), expands sources, stores rows and moves their counts
# (transactions: each item's PutItem/UpdateItem is authorised on its own), starts jobs the
# way the API does (jobs table, source photos, scrape requests, JobAccepted/
# ProductScraped), builds a batch's ZIP from its jobs' images, publishes BatchCompleted/
# BatchFailed. Queues and sources from topology.json's services.batcher.
data "aws_iam_policy_document" "batcher" {
  statement {
    sid       = "ConsumeBatchWork"
    actions   = local.sqs_consume_actions
    resources = [module.queues[local.services.batcher.consumes].queue_arn]
  }

  statement {
    sid       = "DeadLetterBatchWork"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [module.queues[local.services.batcher.consumes].dlq_arn]
  }

  # scrape-requests (a released row's job), batch-work (continue a long expansion).
  statement {
    sid       = "SendWork"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = local.svc_send_arns.batcher
  }

  # BatchGetItem: which rows of a page are stored already (a page written again).
  statement {
    sid = "Batches"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:Query",
      "dynamodb:DescribeTable",
    ]
    resources = local.batches_table_arns
  }

  # Creating a row's job, retrying a failed one, moving a job with known facts to scraped;
  # counting a source's jobs on the tenant's daily quota (the API's limit# counter items).
  statement {
    sid       = "Jobs"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [module.jobs_table.table_arn]
  }

  statement {
    sid       = "PublishEvents"
    actions   = ["events:PutEvents"]
    resources = [local.bus_arn]

    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = local.services.batcher.event_sources
    }
  }

  # jobs/: source photos of new jobs (put) and the images a ZIP packs (get); batches/: the
  # stored request (get) and the ZIP, written in parts (PutObject covers create, upload
  # part and complete; abort is its own action).
  statement {
    sid       = "JobAndBatchFiles"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = [local.images_arn, local.batch_files_arn]
  }

  # An image gone from S3 is left out of the ZIP and listed as missing: S3 answers 404
  # (not 403) for a missing key only to a caller allowed to list the bucket.
  statement {
    sid       = "MissingKeys"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.aws_region}.amazonaws.com", "dynamodb.${var.aws_region}.amazonaws.com"]
    }
  }
}

# The sweeper (services/sweeper): finds stuck jobs through the status index (KEYS_ONLY,
# then GetItem), counts re-drives and fails jobs with conditional UpdateItem, re-sends
# scrape requests and re-publishes ProductScraped / publishes JobFailed. Stalled batches:
# a scan of the sparse queued-rows index, each head read (GetItem) and its nudge counted
# (conditional UpdateItem), the tenant's running batches (Query on tenant-createdAt), and
# `release` / `fail_queued` sent to batch-work (the batch worker moves the rows).
data "aws_iam_policy_document" "sweeper" {
  statement {
    sid       = "FindStuckJobs"
    actions   = ["dynamodb:Query"]
    resources = local.svc_index_arns.sweeper
  }

  statement {
    sid       = "Jobs"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [module.jobs_table.table_arn]
  }

  statement {
    sid       = "FindStalledBatches"
    actions   = ["dynamodb:Scan"]
    resources = ["${module.batches_table.table_arn}/index/${local.sweeper_queued_index}"]
  }

  statement {
    sid       = "TenantBatches"
    actions   = ["dynamodb:Query"]
    resources = ["${module.batches_table.table_arn}/index/${local.sweeper_tenant_index}"]
  }

  statement {
    sid       = "BatchHeads"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [module.batches_table.table_arn]
  }

  # scrape-requests (a job's lost scrape request), batch-work (a stalled batch's nudge).
  statement {
    sid       = "Redrive"
    actions   = ["sqs:GetQueueUrl", "sqs:SendMessage"]
    resources = local.svc_send_arns.sweeper
  }

  statement {
    sid       = "PublishEvents"
    actions   = ["events:PutEvents"]
    resources = [local.bus_arn]

    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = local.services.sweeper.event_sources
    }
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = local.dynamodb_kms_via
    }
  }
}

# EventBridge Scheduler's role for the sweeper's schedule: start that task definition
# family on this cluster, and hand ECS the two roles the task runs with.
data "aws_iam_policy_document" "sweeper_scheduler" {
  count = var.create_sweeper ? 1 : 0

  statement {
    sid       = "RunSweeperTask"
    actions   = ["ecs:RunTask"]
    resources = [local.sweeper_task_definition_family_arn]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [aws_ecs_cluster.this.arn]
    }
  }

  statement {
    sid       = "PassSweeperRoles"
    actions   = ["iam:PassRole"]
    resources = [module.sweeper.task_role_arn, aws_iam_role.execution.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# `python -m services.ops.redrive` (docs/reliability.md), run by an operator: move a DLQ
# back to its queue with a message move task (or a receive/send/delete loop), and with
# --retry-failed reset failed jobs and send fresh scrape requests. A managed policy to
# attach to the operators' role or group; it grants nothing until attached.
data "aws_iam_policy_document" "redrive_operator" {
  # GetQueueUrl: the command resolves the DLQ's URL from the queue's redrive policy.
  statement {
    sid = "DrainDeadLetterQueues"
    actions = [
      "sqs:StartMessageMoveTask",
      "sqs:ListMessageMoveTasks",
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
    ]
    resources = [for k in sort(keys(module.queues)) : module.queues[k].dlq_arn]
  }

  statement {
    sid       = "RefillWorkQueues"
    actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
    resources = [for k in sort(keys(module.queues)) : module.queues[k].queue_arn]
  }

  statement {
    sid       = "RetryFailedJobs"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [module.jobs_table.table_arn]
  }

  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = local.dynamodb_kms_via
    }
  }
}

resource "aws_iam_policy" "redrive_operator" {
  count = var.create_redrive_operator_policy ? 1 : 0

  name        = "${var.name_prefix}productshot-redrive-operator"
  description = "Run python -m services.ops.redrive: move the work queues' DLQs back and retry failed jobs."
  policy      = data.aws_iam_policy_document.redrive_operator.json
}
