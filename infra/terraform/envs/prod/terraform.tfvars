# Production. terraform plan -var-file=envs/prod/terraform.tfvars (docs/deploy.md).
aws_region  = "eu-west-1"
name_prefix = "acme-prod-"
tags        = { Environment = "prod", Owner = "platform@acme.example" }

# The one place for the image tag: upgrades and rollbacks change this line (docs/deploy.md).
image_tag = "2026.12.04-1"

api_domain = {
  hostname        = "api.productshot.acme.example"
  route53_zone_id = "Z0123456789ABCDEFGHIJ"
}

renderer_generator = "openai"
alarm_emails       = ["oncall@acme.example"]

network = {
  single_nat_gateway  = false # one NAT gateway per zone: a zone outage leaves the others online
  availability_zones  = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  interface_endpoints = true
}

# Sized for ~1,000,000 images a day with 5x peaks (docs/capacity.md): the renderer holds
# 250 jobs per task while the model works (~55 % CPU, ~450 MB), so a peak needs ~8 tasks.
services = {
  api      = { min_capacity = 2, max_capacity = 12 }
  scraper  = { min_capacity = 2, max_capacity = 12 }
  renderer = { min_capacity = 2, max_capacity = 20, max_in_flight = 250 }
}

# First apply only (images not pushed yet); remove or set true afterwards.
create_services = false
