# terraform init -reconfigure -backend-config=envs/prod/backend.hcl
# The bucket scripts/deploy/create_state_bucket.sh printed (versioned, encrypted, private).
bucket       = "acme-terraform-state-123456789012-eu-west-1"
key          = "productshot/prod/terraform.tfstate"
region       = "eu-west-1"
encrypt      = true
use_lockfile = true
