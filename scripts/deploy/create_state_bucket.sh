#!/usr/bin/env bash
# Create the S3 bucket that holds Terraform's state (once per account and region), the way
# the backend expects it: versioned (a bad apply's state can be restored), encrypted,
# private, TLS only. Native S3 locking (use_lockfile) needs no DynamoDB table.
#
#   scripts/deploy/create_state_bucket.sh <name-prefix> [region]
#   e.g. scripts/deploy/create_state_bucket.sh acme eu-west-1
#
# The bucket is <name-prefix>-terraform-state-<account>-<region>; the script prints the
# backend.hcl lines to put in infra/terraform/envs/<env>/backend.hcl. Needs the AWS CLI v2
# with credentials of the target account. Safe to re-run: an existing bucket of ours is kept.
set -euo pipefail
prefix="${1:?usage: $0 <name-prefix> [region]}"
region="${2:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}"
[[ -n "$region" ]] || { echo "give the region (argument or AWS_REGION)" >&2; exit 2; }
account="$(aws sts get-caller-identity --query Account --output text)"
bucket="${prefix}-terraform-state-${account}-${region}"
(( ${#bucket} <= 63 )) || { echo "bucket name $bucket is longer than 63 characters: use a shorter prefix" >&2; exit 2; }

if aws s3api head-bucket --bucket "$bucket" --expected-bucket-owner "$account" 2>/dev/null; then
  echo "bucket $bucket exists (ours): settings re-applied"
elif [[ "$region" == "us-east-1" ]]; then
  aws s3api create-bucket --bucket "$bucket" --region "$region" >/dev/null
else
  aws s3api create-bucket --bucket "$bucket" --region "$region" \
    --create-bucket-configuration "LocationConstraint=$region" >/dev/null
fi

aws s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws s3api put-bucket-ownership-controls --bucket "$bucket" \
  --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
aws s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled
aws s3api put-bucket-encryption --bucket "$bucket" --server-side-encryption-configuration \
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}'
aws s3api put-bucket-policy --bucket "$bucket" --policy "$(cat <<JSON
{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*",
"Action":"s3:*","Resource":["arn:aws:s3:::$bucket","arn:aws:s3:::$bucket/*"],
"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
JSON
)"
# Old state versions are kept 90 days: enough to roll a state back, not forever.
aws s3api put-bucket-lifecycle-configuration --bucket "$bucket" --lifecycle-configuration \
  '{"Rules":[{"ID":"expire-old-state-versions","Status":"Enabled","Filter":{},"NoncurrentVersionExpiration":{"NoncurrentDays":90}}]}'

cat <<EOT

State bucket ready. In infra/terraform/envs/<env>/backend.hcl:
bucket       = "$bucket"
key          = "productshot/<env>/terraform.tfstate"
region       = "$region"
encrypt      = true
use_lockfile = true
EOT
