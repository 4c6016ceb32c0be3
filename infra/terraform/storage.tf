module "jobs_table" {
  source = "./modules/dynamodb-table"

  name                        = local.table.name
  hash_key                    = local.table.hash_key
  range_key                   = local.table.range_key
  attributes                  = local.table.attributes
  global_secondary_indexes    = local.table.global_secondary_indexes
  ttl_attribute               = local.table.ttl_attribute
  kms_key_arn                 = aws_kms_key.this.arn
  deletion_protection_enabled = var.protect_from_destroy
}

module "images_bucket" {
  source = "./modules/s3-bucket"

  name                      = local.bucket.name
  lifecycle_expiration_days = local.bucket.lifecycle_expiration_days
  lifecycle_prefix          = local.bucket.images_prefix
  kms_key_arn               = aws_kms_key.this.arn
  force_destroy             = !var.protect_from_destroy
}

# Terraform creates the parameters with a placeholder and never reads or overwrites the
# value afterwards, so the real secrets stay out of the state file. Set them with
# `aws ssm put-parameter --overwrite` (docs/deploy.md).
resource "aws_ssm_parameter" "this" {
  for_each = local.ssm_parameters

  name        = each.value.name
  description = "Productshot ${each.key}; set the value out of band."
  type        = "SecureString"
  key_id      = aws_kms_key.this.arn
  value       = "set-me-out-of-band"

  lifecycle {
    ignore_changes = [value]

    precondition {
      condition     = each.value.type == "SecureString"
      error_message = "infra/topology.json declares ${each.key} as ${each.value.type}; Productshot keeps its parameters as SecureString."
    }
  }
}
