data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}

# One customer-managed key for the data at rest: table, bucket, SSM parameters, logs,
# the alarm topic and the images. Queues use SSE-SQS so EventBridge needs no key grant.
resource "aws_kms_key" "this" {
  description             = "${var.name_prefix}productshot data at rest"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "AccountAdministersKeyAndDelegatesToIam"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryptsOurLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.aws_region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${var.aws_region}:${local.account_id}:log-group:*"
          }
        }
      },
      {
        Sid       = "CloudWatchAlarmsPublishToEncryptedTopic"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
        }
      },
      ],
      # Event readers (var.event_readers) decrypt the images they GetObject, through S3 only.
      length(local.reader_principals) == 0 ? [] : [{
        Sid       = "ReaderAccountsDecryptImagesThroughS3"
        Effect    = "Allow"
        Principal = { AWS = local.reader_principals }
        Action    = "kms:Decrypt"
        Resource  = "*"
        Condition = {
          StringEquals = { "kms:ViaService" = "s3.${var.aws_region}.amazonaws.com" }
        }
      }],
      var.event_readers.organization_id == null ? [] : [{
        Sid       = "ReaderOrganizationDecryptsImagesThroughS3"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "kms:Decrypt"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:ViaService"     = "s3.${var.aws_region}.amazonaws.com"
            "aws:PrincipalOrgID" = var.event_readers.organization_id
          }
        }
      }],
    )
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name_prefix}productshot"
  target_key_id = aws_kms_key.this.key_id
}
