# Remote state in S3, configured per environment at init time (partial configuration):
#   terraform init -backend-config=envs/prod/backend.hcl
# The bucket comes from scripts/deploy/create_state_bucket.sh; use_lockfile (S3 native
# locking, no DynamoDB table) needs Terraform 1.10 or later.
terraform {
  backend "s3" {}
}
