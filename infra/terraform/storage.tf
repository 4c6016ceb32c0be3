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

# Batch heads and rows (services/common/adapters/dynamo_batch_store.py): the same
# protection as the jobs table (customer-managed key, point-in-time recovery, TTL).
module "batches_table" {
  source = "./modules/dynamodb-table"

  name                        = local.batches_table.name
  hash_key                    = local.batches_table.hash_key
  range_key                   = local.batches_table.range_key
  attributes                  = local.batches_table.attributes
  global_secondary_indexes    = local.batches_table.global_secondary_indexes
  ttl_attribute               = local.batches_table.ttl_attribute
  kms_key_arn                 = aws_kms_key.this.arn
  deletion_protection_enabled = var.protect_from_destroy
}

locals {
  # Bucket names are global: the account and region make ours unique. A prefix long enough
  # to pass 63 characters keeps its start and ends in a hash of the whole.
  bucket_suffix   = "-${local.account_id}-${var.aws_region}"
  bucket_base_max = 63 - length(local.bucket_suffix)
  bucket_base     = length(local.bucket.name) <= local.bucket_base_max ? local.bucket.name : "${substr(local.bucket.name, 0, local.bucket_base_max - 7)}-${substr(md5(local.bucket.name), 0, 6)}"
  bucket_name     = "${local.bucket_base}${local.bucket_suffix}"

  # Teams that consume the events (var.event_readers) read the images they point to.
  reader_principals = [for id in var.event_readers.account_ids : "arn:${local.partition}:iam::${id}:root"]
}

module "images_bucket" {
  source = "./modules/s3-bucket"

  name                      = local.bucket_name
  lifecycle_expiration_days = local.bucket.lifecycle_expiration_days
  lifecycle_prefixes        = local.bucket.expiring_prefixes
  kms_key_arn               = aws_kms_key.this.arn
  force_destroy             = !var.protect_from_destroy
  readers = {
    account_arns    = local.reader_principals
    organization_id = var.event_readers.organization_id
    prefix          = local.bucket.images_prefix
  }
}

# Terraform creates the parameters with a placeholder and never reads or overwrites the
# value afterwards, so the real secrets stay out of the state file. Set them with
# `aws ssm put-parameter --overwrite` (docs/deploy.md).
resource "aws_ssm_parameter" "this" {
  # The OpenAI key's parameter exists only when the renderer is meant to use it.
  for_each = { for k, p in local.ssm_parameters : k => p if var.renderer_generator == "openai" || !contains(local.services.renderer.parameters, k) }

  name        = each.value.name
  description = "Productshot ${each.key}; set the value out of band."
  type        = "SecureString"
  key_id      = aws_kms_key.this.arn
  # The renderer refuses to start on this value (GeneratorConfigError) rather than fail
  # every render with 401; the API refuses a key list that is not JSON.
  value = "set-me-out-of-band"

  lifecycle {
    ignore_changes = [value]

    precondition {
      condition     = each.value.type == "SecureString"
      error_message = "infra/topology.json declares ${each.key} as ${each.value.type}; Productshot keeps its parameters as SecureString."
    }
  }
}
