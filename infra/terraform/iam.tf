# One execution role shared by the three task definitions (pull images, write logs,
# resolve the `secrets`), and one task role per service with only what its code calls.

locals {
  table_arns = [module.jobs_table.table_arn, module.jobs_table.index_arns]
  bucket_arn = module.images_bucket.bucket_arn
  images_arn = "${module.images_bucket.bucket_arn}/${local.bucket.images_prefix}*"
  bus_arn    = module.event_bus.bus_arn
  ssm_arns   = { for k, p in aws_ssm_parameter.this : k => p.arn }
  log_group_arns = [
    for s in keys(local.service_specs) :
    "arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:/ecs/${local.service_specs[s].name}:*"
  ]
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

  statement {
    sid       = "ReadInjectedSecrets"
    actions   = ["ssm:GetParameters"]
    resources = [local.ssm_arns["openai_api_key"]]
  }

  statement {
    sid       = "DecryptInjectedSecrets"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${var.aws_region}.amazonaws.com"]
    }
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
    resources = local.table_arns
  }

  statement {
    sid       = "EnqueueScrapes"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [module.queues["scrape-requests"].queue_arn]
  }

  statement {
    sid       = "PublishEvents"
    actions   = ["events:PutEvents"]
    resources = [local.bus_arn]
  }

  # PutObject: a caller-supplied product photo; Get (presigned links) and Delete (job deletion).
  statement {
    sid       = "JobImages"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [local.images_arn]
  }

  # HeadBucket (readiness) is authorised as ListBucket, with no prefix to condition on.
  statement {
    sid       = "ReadinessAndMissingKeys"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "ReadApiKeys"
    actions   = ["ssm:GetParameter"]
    resources = [local.ssm_arns["api_keys"]]
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
    resources = [module.queues["scrape-requests"].queue_arn]
  }

  statement {
    sid       = "DeadLetterScrapes"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [module.queues["scrape-requests"].dlq_arn]
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
    resources = [module.queues["render-requests"].queue_arn]
  }

  statement {
    sid       = "DeadLetterRenders"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [module.queues["render-requests"].dlq_arn]
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
  }

  statement {
    sid       = "ReadAndStoreImages"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [local.images_arn]
  }

  statement {
    sid       = "ReadOpenAiKey"
    actions   = ["ssm:GetParameter"]
    resources = [local.ssm_arns["openai_api_key"]]
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
