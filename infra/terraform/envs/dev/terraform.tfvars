# A development environment: one NAT gateway, no interface endpoints, the offline
# generator (no OpenAI cost), destroyable.
aws_region  = "eu-west-1"
name_prefix = "acme-dev-"
tags        = { Environment = "dev", Owner = "platform@acme.example" }

image_tag = "2026.12.04-1"

api_domain = {
  hostname        = "api.dev.productshot.acme.example"
  route53_zone_id = "Z0123456789ABCDEFGHIJ"
}

renderer_generator   = "offline"
protect_from_destroy = false

services = {
  api      = { min_capacity = 1, max_capacity = 2 }
  scraper  = { max_capacity = 2 }
  renderer = { max_capacity = 2 }
}

create_services = false

# Every job traced (low volume); prod keeps the default share.
tracing = { sample_ratio = 1 }
