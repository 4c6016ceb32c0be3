resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Images are short-lived generated outputs; server access logs would cost more than the data. CloudTrail data events can be enabled account-wide if needed.
  #checkov:skip=CKV_AWS_144:Objects expire after days and can be regenerated; cross-region replication is not worth it.
  #checkov:skip=CKV2_AWS_62:Nothing consumes bucket notifications; the renderer publishes ProductImageGenerated on EventBridge.
  count = var.create ? 1 : 0

  bucket        = var.name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  count = var.create ? 1 : 0

  bucket                  = aws_s3_bucket.this[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn != null ? "aws:kms" : "AES256"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

# Versioning guards against an overwrite by mistake; noncurrent versions go after a day.
resource "aws_s3_bucket_versioning" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  # One expiry rule per prefix ("expire-<key>"), all with the same lifetime.
  dynamic "rule" {
    for_each = var.lifecycle_prefixes

    content {
      id     = "expire-${rule.key}"
      status = "Enabled"

      filter {
        prefix = rule.value
      }

      expiration {
        days = var.lifecycle_expiration_days
      }

      noncurrent_version_expiration {
        noncurrent_days = 1
      }
    }
  }

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "this" {
  count = var.create ? 1 : 0

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this[0].arn,
      "${aws_s3_bucket.this[0].arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # Objects take the bucket's default encryption. A writer that asks for another one (SSE-S3
  # on a KMS bucket, another KMS key) is refused; a writer that asks for none gets the default.
  statement {
    sid       = "DenyOtherEncryption"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this[0].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption"
      values   = [var.kms_key_arn != null ? "aws:kms" : "AES256"]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn != null ? [1] : []

    content {
      sid       = "DenyOtherKmsKey"
      effect    = "Deny"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this[0].arn}/*"]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "StringNotEqualsIfExists"
        variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
        values   = [var.kms_key_arn]
      }
    }
  }

  # Other accounts read objects under readers.prefix (their own IAM must allow it too, and
  # the KMS key policy must let them decrypt through S3).
  dynamic "statement" {
    for_each = length(var.readers.account_arns) > 0 ? [1] : []

    content {
      sid       = "ReaderAccountsGetObjects"
      actions   = ["s3:GetObject"]
      resources = ["${aws_s3_bucket.this[0].arn}/${var.readers.prefix}*"]

      principals {
        type        = "AWS"
        identifiers = var.readers.account_arns
      }
    }
  }

  dynamic "statement" {
    for_each = var.readers.organization_id != null ? [1] : []

    content {
      sid       = "ReaderOrganizationGetsObjects"
      actions   = ["s3:GetObject"]
      resources = ["${aws_s3_bucket.this[0].arn}/${var.readers.prefix}*"]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = [var.readers.organization_id]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id
  policy = data.aws_iam_policy_document.this[0].json

  depends_on = [aws_s3_bucket_public_access_block.this]
}
