variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region looks like eu-west-1."
  }
}

variable "name_prefix" {
  description = "Prepended to every name that must be unique per deployment (queues, bus, table, bucket, services, roles ...), e.g. 'acme-prod-'. Empty gives exactly the local names of infra/topology.json. At most 20 characters: with it every name fits its AWS limit (the load balancer's and target group's 32 characters through a hash, see modules/alb; the bucket also gets the account and region)."
  type        = string
  default     = ""

  validation {
    condition     = length(var.name_prefix) <= 20 && can(regex("^([a-z0-9][a-z0-9-]*-)?$", var.name_prefix))
    error_message = "name_prefix is empty or up to 20 lower-case letters, digits and '-', ending with '-'."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of Application = productshot). Environment and Owner are required (cost allocation and who to call)."
  type        = map(string)

  validation {
    condition     = alltrue([for k in ["Environment", "Owner"] : trimspace(lookup(var.tags, k, "")) != ""])
    error_message = "tags must include non-empty Environment and Owner tags."
  }
}

variable "create_services" {
  description = "Create the ECS services. Set false for the first apply, push the images, then set true (see docs/deploy.md)."
  type        = bool
  default     = true
}

variable "image_tag" {
  description = "Tag of the service images (api, scraper, renderer, batcher) in their ECR repositories (tags are immutable: use a version or a git SHA). Set it in one place only: the environment's tfvars (envs/<env>/terraform.tfvars); upgrades and rollbacks change that line."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a valid Docker tag other than 'latest' (repositories are immutable)."
  }
}

variable "api_domain" {
  description = "The API's public hostname. With route53_zone_id, Terraform requests an ACM certificate for it (DNS validation in that zone) and points an alias record at the load balancer; without it, give certificate_arn (an issued ACM certificate covering hostname, same region) and create the DNS record yourself (output alb_dns_name)."
  type = object({
    hostname        = string
    route53_zone_id = optional(string)
    certificate_arn = optional(string)
  })

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.api_domain.hostname))
    error_message = "api_domain.hostname is a lower-case DNS name such as api.example.com."
  }

  validation {
    condition     = var.api_domain.route53_zone_id != null || var.api_domain.certificate_arn != null
    error_message = "Give api_domain.route53_zone_id (Terraform issues the certificate and the record) or api_domain.certificate_arn (yours)."
  }

  validation {
    condition     = var.api_domain.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:", coalesce(var.api_domain.certificate_arn, "-")))
    error_message = "api_domain.certificate_arn must be an ACM certificate ARN."
  }
}

variable "network" {
  description = "Network: create a small VPC (default), or give an existing VPC with public subnets (ALB) and private subnets (tasks) that reach the internet through NAT."
  type = object({
    create_vpc         = optional(bool, true)
    cidr_block         = optional(string, "10.42.0.0/16")
    availability_zones = optional(list(string), [])
    single_nat_gateway = optional(bool, true)
    # Interface endpoints for ECR (api, dkr), Logs, SQS, SSM, EventBridge and STS in the
    # private subnets: AWS traffic stays off the NAT gateway (S3 and DynamoDB always use
    # free gateway endpoints).
    interface_endpoints = optional(bool, false)
    existing = optional(object({
      vpc_id             = string
      public_subnet_ids  = list(string)
      private_subnet_ids = list(string)
    }))
  })
  default = {}

  validation {
    condition     = var.network.create_vpc || var.network.existing != null
    error_message = "With network.create_vpc = false, network.existing must name the VPC and subnets."
  }
}

variable "services" {
  description = "Size and scaling of the four long-running services. Backlog targets are messages per task that one task clears within the acceptable wait."
  type = object({
    api = optional(object({
      cpu                 = optional(number, 512)
      memory              = optional(number, 1024)
      min_capacity        = optional(number, 2)
      max_capacity        = optional(number, 6)
      cpu_target_percent  = optional(number, 60)
      requests_per_target = optional(number, 500)
    }), {})
    scraper = optional(object({
      cpu                     = optional(number, 512)
      memory                  = optional(number, 1024)
      min_capacity            = optional(number, 1)
      max_capacity            = optional(number, 10)
      backlog_target_per_task = optional(number, 20)
    }), {})
    renderer = optional(object({
      cpu                     = optional(number, 1024)
      memory                  = optional(number, 2048)
      min_capacity            = optional(number, 1)
      max_capacity            = optional(number, 10)
      backlog_target_per_task = optional(number, 5)
      max_in_flight           = optional(number, 100)
    }), {})
    # The batch worker: batch actions and the job events of batch jobs (batch-work).
    batcher = optional(object({
      cpu                     = optional(number, 512)
      memory                  = optional(number, 1024)
      min_capacity            = optional(number, 1)
      max_capacity            = optional(number, 4)
      backlog_target_per_task = optional(number, 200)
    }), {})
  })
  default = {}

  validation {
    condition = alltrue([
      for s in [var.services.api, var.services.scraper, var.services.renderer, var.services.batcher] :
      s.min_capacity >= 1 && s.max_capacity >= s.min_capacity
    ])
    error_message = "Every service needs 1 <= min_capacity <= max_capacity."
  }

  validation {
    condition     = var.services.renderer.max_in_flight >= 1 && var.services.renderer.max_in_flight <= 1000
    error_message = "services.renderer.max_in_flight must be 1..1000 (RENDERER_MAX_IN_FLIGHT's own bounds)."
  }
}

variable "renderer_generator" {
  description = "How the renderer makes images: \"openai\" (reads the OpenAI key from the SSM SecureString at start-up; set it before the services start, docs/deploy.md) or \"offline\" (the built-in placeholder generator, no key, on purpose). No default: a deployment chooses."
  type        = string

  validation {
    condition     = contains(["openai", "offline"], var.renderer_generator)
    error_message = "renderer_generator is \"openai\" or \"offline\"."
  }
}

variable "renderer_model" {
  description = "Image model the renderer asks for (RENDERER_MODEL)."
  type        = string
  default     = "gpt-image-1"
}

variable "log_level" {
  description = "Log level of the services (PRODUCTSHOT_LOG_LEVEL)."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warning", "error"], var.log_level)
    error_message = "log_level is debug, info, warning or error."
  }
}

variable "log_retention_days" {
  description = "Retention of the services' log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "alarm_emails" {
  description = "E-mail addresses that receive the alarms (each confirms its subscription)."
  type        = list(string)
  default     = []
}

variable "event_readers" {
  description = "Accounts (and/or one AWS Organizations ID) of teams that consume Productshot's events: they may read the schema registry, GetObject the images under jobs/ in the bucket, and decrypt them with the key through S3 (docs/events.md)."
  type = object({
    account_ids     = optional(list(string), [])
    organization_id = optional(string)
  })
  default = {}

  validation {
    condition     = alltrue([for id in var.event_readers.account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "event_readers.account_ids are 12-digit AWS account IDs."
  }

  validation {
    condition     = var.event_readers.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", coalesce(var.event_readers.organization_id, "-")))
    error_message = "event_readers.organization_id looks like o-abcdefghij."
  }
}

variable "event_subscriptions" {
  description = "Deliveries from Productshot's bus to other teams (modules/event-subscription, docs/events.md): a rule per entry on our bus with the team's event pattern, delivering to their event bus (any account, any region), or straight to their SQS queue or Lambda function in another account of the same region (they add the resource policy the module's output names)."
  type = map(object({
    event_pattern = string
    # Only these tenants' events reach the subscriber (empty: every tenant's).
    tenants = optional(list(string), [])
    target = object({
      event_bus_arn = optional(string)
      queue_arn     = optional(string)
      function_arn  = optional(string)
    })
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.event_subscriptions) : can(regex("^[a-z0-9][a-z0-9-]{0,31}$", k))])
    error_message = "event_subscriptions keys are up to 32 lower-case letters, digits and '-' (the rule is <name_prefix>to-<key>, its role <rule>-delivery)."
  }

  validation {
    condition     = alltrue([for s in values(var.event_subscriptions) : can(jsondecode(s.event_pattern))])
    error_message = "Every event_subscriptions[*].event_pattern is a JSON document (use jsonencode)."
  }
}

variable "create_schema_registry" {
  description = "Register the events' JSON Schemas in an EventBridge schema registry (false where the registry is unavailable, e.g. LocalStack's free edition)."
  type        = bool
  default     = true
}

variable "alb" {
  description = "Load balancer options: who may connect, an access-log bucket, and the WAF: our web ACL with rate limits per client IP and per Authorization header (requests per 5 minutes), or your own web_acl_arn instead."
  type = object({
    ingress_cidr_blocks         = optional(list(string), ["0.0.0.0/0"])
    access_logs_bucket          = optional(string)
    web_acl_arn                 = optional(string)
    waf_requests_per_ip         = optional(number, 3000)
    waf_requests_per_credential = optional(number, 6000)
  })
  default = {}
}

variable "protect_from_destroy" {
  description = "Deletion protection on the table and load balancer, and no force-delete of a non-empty bucket or repository. Set false (and apply) before terraform destroy."
  type        = bool
  default     = true
}

variable "create_sweeper" {
  description = "Run the sweeper (python -m services.sweeper --once, from the scraper image) as a scheduled ECS task that re-drives or fails stuck jobs."
  type        = bool
  default     = true
}

variable "sweeper_schedule_expression" {
  description = "How often EventBridge Scheduler starts the sweeper: rate(N minutes|hours|days) (singular unit for 1) or a six-field cron(...) in UTC."
  type        = string
  default     = "rate(5 minutes)"

  validation {
    condition = (
      can(regex("^rate\\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\\)$", var.sweeper_schedule_expression)) ||
      can(regex("^cron\\([^ ()]+( [^ ()]+){5}\\)$", var.sweeper_schedule_expression))
    )
    error_message = "sweeper_schedule_expression is rate(1 minute), rate(N minutes) (also hour(s), day(s)) or cron(min hour day-of-month month day-of-week year)."
  }
}

variable "create_redrive_operator_policy" {
  description = "Create an IAM managed policy (output redrive_operator_policy_arn) that operators attach to run python -m services.ops.redrive. It grants nothing until attached."
  type        = bool
  default     = true
}

variable "tracing" {
  description = "OpenTelemetry traces of the api, scraper and renderer to X-Ray through an ADOT collector sidecar per task (docs/operations.md, Traces). sample_ratio: the share of jobs traced."
  type = object({
    enabled         = optional(bool, true)
    sample_ratio    = optional(number, 0.05)
    collector_image = optional(string, "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0")
  })
  default = {}

  validation {
    condition     = var.tracing.sample_ratio >= 0 && var.tracing.sample_ratio <= 1
    error_message = "tracing.sample_ratio is in [0, 1]."
  }
}

variable "observability" {
  description = "The services' metrics dashboard and alarms (observability.tf; runbooks in docs/operations.md). runbook_url is where that page is served; each alarm links to its section."
  type = object({
    create_dashboard              = optional(bool, true)
    runbook_url                   = optional(string, "docs/operations.md")
    max_failure_rate_percent      = optional(number, 10)
    min_jobs_for_rate             = optional(number, 10)
    max_time_to_image_p95_seconds = optional(number, 180)
    stalled_minutes               = optional(number, 15)
    max_model_429_per_5_min       = optional(number, 20)
    min_extraction_confidence     = optional(number, 0.6)
  })
  default = {}

  validation {
    condition     = var.observability.stalled_minutes >= 1 && var.observability.min_extraction_confidence >= 0 && var.observability.min_extraction_confidence <= 1 && var.observability.max_failure_rate_percent > 0 && var.observability.max_failure_rate_percent <= 100
    error_message = "stalled_minutes >= 1, min_extraction_confidence in [0, 1], max_failure_rate_percent in (0, 100]."
  }
}
