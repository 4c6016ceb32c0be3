module "network" {
  source = "./modules/network"

  name                = "${var.name_prefix}productshot"
  create_vpc          = var.network.create_vpc
  cidr_block          = var.network.cidr_block
  availability_zones  = var.network.availability_zones
  single_nat_gateway  = var.network.single_nat_gateway
  interface_endpoints = var.network.interface_endpoints
  existing_network    = var.network.existing
  kms_key_arn         = aws_kms_key.this.arn
}

module "ecr" {
  source = "./modules/ecr"

  repository_names = toset([for s in values(local.service_specs) : s.repository])
  kms_key_arn      = aws_kms_key.this.arn
  force_delete     = !var.protect_from_destroy
}

resource "aws_ecs_cluster" "this" {
  name = "${var.name_prefix}productshot"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

module "alb" {
  source = "./modules/alb"

  name            = "${var.name_prefix}productshot-api"
  vpc_id          = module.network.vpc_id
  subnet_ids      = module.network.public_subnet_ids
  certificate_arn = local.certificate_arn
  target_port     = local.api_port
  # Liveness, not readiness: /readyz fails on a DynamoDB/SQS/S3 blip that every task shares,
  # and an ALB with every target unhealthy only fails open. /readyz is kept from the
  # internet by the listener (internal_paths) and stays callable inside the VPC.
  health_check_path   = "/healthz"
  internal_paths      = ["/readyz", "/readyz/*"]
  ingress_cidr_blocks = var.alb.ingress_cidr_blocks
  access_logs_bucket  = var.alb.access_logs_bucket
  web_acl_arn         = var.alb.web_acl_arn
  waf = {
    create                  = var.alb.web_acl_arn == null
    requests_per_ip         = var.alb.waf_requests_per_ip
    requests_per_credential = var.alb.waf_requests_per_credential
  }
  deletion_protection = var.protect_from_destroy
}

locals {
  api_port = 8000

  # What every service needs to find its resources (services/common/settings.py).
  common_environment = {
    AWS_REGION               = var.aws_region
    PRODUCTSHOT_JOBS_TABLE   = local.table.name
    PRODUCTSHOT_BUCKET       = module.images_bucket.bucket_name
    PRODUCTSHOT_EVENT_BUS    = local.bus.name
    PRODUCTSHOT_SCRAPE_QUEUE = local.queues[local.services.scraper.consumes].name
    PRODUCTSHOT_RENDER_QUEUE = local.queues[local.services.renderer.consumes].name
    PRODUCTSHOT_LOG_LEVEL    = var.log_level
  }

  # What the API and the batch worker need for batches: the table, the batch worker's
  # queue, and how long a batch lives (its images' lifetime: the bucket's expiry in hours).
  batch_environment = {
    PRODUCTSHOT_BATCHES_TABLE   = local.batches_table.name
    PRODUCTSHOT_BATCH_QUEUE     = local.queues[local.services.batcher.consumes].name
    PRODUCTSHOT_BATCH_TTL_HOURS = tostring(local.bucket.lifecycle_expiration_days * 24)
  }

  # Workers report health by how recently their consumer loop turned (a file it touches).
  worker_health_check = {
    scraper  = { command = ["python", "-m", "services.common.healthcheck", "--file", "/tmp/productshot-scraper.health"] }
    renderer = { command = ["python", "-m", "services.common.healthcheck", "--file", "/tmp/productshot-renderer.health"] }
    batcher  = { command = ["python", "-m", "services.common.healthcheck", "--file", "/tmp/productshot-batcher.health"] }
  }

  # Long-running services only: the sweeper, a scheduled one-shot from the scraper's image,
  # is in sweeper.tf.
  service_specs = {
    api = {
      name        = "${var.name_prefix}productshot-api"
      repository  = "${var.name_prefix}productshot/api"
      cpu         = var.services.api.cpu
      memory      = var.services.api.memory
      policy_json = data.aws_iam_policy_document.api.json
      port        = local.api_port
      environment = merge(local.common_environment, local.batch_environment, {
        API_HOST                       = "0.0.0.0"
        API_PORT                       = tostring(local.api_port)
        PRODUCTSHOT_API_KEYS_PARAMETER = local.ssm_parameters[one(local.services.api.parameters)].name
        # The seed paths accept anonymous callers only where nobody set this (local runs).
        API_SEED_REQUIRE_KEY = "true"
        # uvicorn (proxy headers on by default) takes the client address from
        # X-Forwarded-For only when the peer is in the VPC, i.e. the load balancer: the
        # rate limiter's per-address buckets cannot be dodged with a forged header.
        FORWARDED_ALLOW_IPS = module.network.cidr_block
      })
      secrets      = {}
      egress_ports = [80, 443] # fetches a caller-supplied product photo URL (safe fetcher)
      health_check = {
        command = ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${local.api_port}/healthz', timeout=3)"]
      }
      autoscaling = {
        min_capacity       = var.services.api.min_capacity
        max_capacity       = var.services.api.max_capacity
        cpu_target_percent = var.services.api.cpu_target_percent
        request_count = {
          target_per_target = var.services.api.requests_per_target
          resource_label    = "${module.alb.arn_suffix}/${module.alb.target_group_arn_suffix}"
        }
      }
      load_balancer = { target_group_arn = module.alb.target_group_arn, security_group_id = module.alb.security_group_id }
    }
    scraper = {
      name         = "${var.name_prefix}productshot-scraper"
      repository   = "${var.name_prefix}productshot/scraper"
      cpu          = var.services.scraper.cpu
      memory       = var.services.scraper.memory
      policy_json  = data.aws_iam_policy_document.scraper.json
      port         = null
      environment  = local.common_environment
      secrets      = {}
      egress_ports = [80, 443] # product pages are fetched over HTTP and HTTPS
      health_check = local.worker_health_check.scraper
      autoscaling = {
        min_capacity  = var.services.scraper.min_capacity
        max_capacity  = var.services.scraper.max_capacity
        queue_backlog = { queue_name = local.queues[local.services.scraper.consumes].name, target_per_task = var.services.scraper.backlog_target_per_task }
      }
      load_balancer = null
    }
    renderer = {
      name        = "${var.name_prefix}productshot-renderer"
      repository  = "${var.name_prefix}productshot/renderer"
      cpu         = var.services.renderer.cpu
      memory      = var.services.renderer.memory
      policy_json = data.aws_iam_policy_document.renderer.json
      port        = null
      # The OpenAI key's one path: the renderer reads this SecureString at start-up with its
      # task role (services/renderer/generation/factory.py); no ECS `secrets` injection.
      # "offline" sets no parameter: the renderer then uses its offline generator.
      environment = merge(
        local.common_environment,
        {
          RENDERER_MODEL = var.renderer_model
          # Jobs held per task while the model works, and model calls at once (docs/capacity.md).
          RENDERER_MAX_IN_FLIGHT   = tostring(var.services.renderer.max_in_flight)
          RENDERER_MAX_CONCURRENCY = tostring(var.services.renderer.max_in_flight)
        },
        var.renderer_generator == "openai" ? {
          RENDERER_OPENAI_API_KEY_SSM_PARAMETER = local.ssm_parameters[one(local.services.renderer.parameters)].name
        } : {},
      )
      secrets = {}
      # 443: the image model; 80 and 443: the price recheck re-reads product pages (safe fetcher).
      egress_ports = [80, 443]
      health_check = local.worker_health_check.renderer
      autoscaling = {
        min_capacity  = var.services.renderer.min_capacity
        max_capacity  = var.services.renderer.max_capacity
        queue_backlog = { queue_name = local.queues[local.services.renderer.consumes].name, target_per_task = var.services.renderer.backlog_target_per_task }
      }
      load_balancer = null
    }
    batcher = {
      name         = "${var.name_prefix}productshot-batcher"
      repository   = "${var.name_prefix}productshot/batcher"
      cpu          = var.services.batcher.cpu
      memory       = var.services.batcher.memory
      policy_json  = data.aws_iam_policy_document.batcher.json
      port         = null
      environment  = merge(local.common_environment, local.batch_environment)
      secrets      = {}
      egress_ports = [80, 443] # expands sitemaps, Shopify catalogues and feeds; fetches product photos
      health_check = local.worker_health_check.batcher
      autoscaling = {
        min_capacity  = var.services.batcher.min_capacity
        max_capacity  = var.services.batcher.max_capacity
        queue_backlog = { queue_name = local.queues[local.services.batcher.consumes].name, target_per_task = var.services.batcher.backlog_target_per_task }
      }
      load_balancer = null
    }
  }
}

module "services" {
  source   = "./modules/ecs-service"
  for_each = local.service_specs

  name                  = each.value.name
  create_service        = var.create_services
  cluster               = { arn = aws_ecs_cluster.this.arn, name = aws_ecs_cluster.this.name }
  image                 = "${module.ecr.repository_urls[each.value.repository]}:${var.image_tag}"
  cpu                   = each.value.cpu
  memory                = each.value.memory
  container_port        = each.value.port
  environment           = each.value.environment
  secrets               = each.value.secrets
  health_check          = each.value.health_check
  execution_role_arn    = aws_iam_role.execution.arn
  task_role_policy_json = each.value.policy_json
  log_retention_days    = var.log_retention_days
  log_kms_key_arn       = aws_kms_key.this.arn
  vpc_id                = module.network.vpc_id
  subnet_ids            = module.network.private_subnet_ids
  egress_ports          = each.value.egress_ports
  load_balancer         = each.value.load_balancer
  desired_count         = each.value.autoscaling.min_capacity
  autoscaling           = each.value.autoscaling
  tracing = var.tracing.enabled ? {
    sample_ratio    = var.tracing.sample_ratio
    collector_image = var.tracing.collector_image
  } : null
}

module "alarms" {
  source = "./modules/alarms"

  name                = "${var.name_prefix}productshot"
  kms_key_arn         = aws_kms_key.this.arn
  email_subscriptions = var.alarm_emails
  dead_letter_queue_names = concat(
    [for q in values(local.queues) : q.dlq_name],
    [for q in values(local.extra_queues) : q.name],
    [for k in sort(keys(var.event_subscriptions)) : "${var.name_prefix}to-${k}-dlq"],
  )
  # Alarm when a message waited longer than five of its visibility timeouts.
  oldest_message_age = { for q in values(local.queues) : q.name => 5 * q.visibility_timeout_seconds }
  load_balancer      = { arn_suffix = module.alb.arn_suffix }
}

# Production runs a NAT gateway per zone: with one, a zone outage takes every private
# subnet's way out (image pulls, AWS APIs, the scraper's fetches) down with it.
check "production_network_survives_a_zone" {
  assert {
    condition     = lower(lookup(var.tags, "Environment", "")) != "prod" || !var.network.create_vpc || !var.network.single_nat_gateway
    error_message = "Environment = prod with network.single_nat_gateway = true: one NAT gateway is a single point of failure; set it false (one per zone)."
  }
}
