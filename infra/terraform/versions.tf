terraform {
  # 1.7: mock_provider in tests/root.tftest.hcl; 1.10: use_lockfile, the S3 backend's
  # native state locking that docs/deploy.md's backend uses.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The release the offline schema check (infra/schema) validates against, and its
      # later 6.x minors; 7.0 will be a new schema to check first.
      version = "~> 6.25"
    }
  }
}
