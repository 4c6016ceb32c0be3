# terraform init -reconfigure -backend-config=envs/dev/backend.hcl
bucket       = "acme-terraform-state-123456789012-eu-west-1"
key          = "productshot/dev/terraform.tfstate"
region       = "eu-west-1"
encrypt      = true
use_lockfile = true
