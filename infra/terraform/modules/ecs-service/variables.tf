variable "create" {
  description = "Whether to create the task definition, role, log group and security group."
  type        = bool
  default     = true
}

variable "create_service" {
  description = "Whether to create the ECS service (and its autoscaling). False until the image is pushed."
  type        = bool
  default     = true
}

variable "name" {
  description = "Service name, used for the task family, log group, role and security group."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,200}$", var.name))
    error_message = "The name is 1-200 characters of letters, digits, '-' or '_'."
  }
}

variable "cluster" {
  description = "The ECS cluster the service runs in."
  type = object({
    arn  = string
    name = string
  })
}

variable "image" {
  description = "Container image (repository URL and tag or digest)."
  type        = string
}

variable "cpu" {
  description = "Task CPU units (256, 512, 1024, 2048, 4096, ...)."
  type        = number
  default     = 256

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB (must fit the CPU size)."
  type        = number
  default     = 512

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880
    error_message = "memory must be between 512 and 122880 MiB."
  }
}

variable "container_port" {
  description = "Port the container listens on; null for workers without one."
  type        = number
  default     = null
}

variable "environment" {
  description = "Plain environment variables of the container."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Environment variables injected from SSM parameters or Secrets Manager secrets (name -> ARN). The execution role must be allowed to read them."
  type        = map(string)
  default     = {}
}

variable "health_check" {
  description = "Container health check (command in exec form, without the CMD prefix). Null only for a task that runs without a service (a scheduled one-shot)."
  type = object({
    command      = list(string)
    interval     = optional(number, 30)
    timeout      = optional(number, 5)
    retries      = optional(number, 3)
    start_period = optional(number, 30)
  })
  default = null
}

variable "tracing" {
  description = "Traces: an ADOT collector sidecar that exports the container's OpenTelemetry spans to X-Ray, and the OTEL_* variables that turn the services' tracer on; sample_ratio is the share of new traces kept (a child follows its parent). Null: no sidecar, tracing off."
  type = object({
    sample_ratio     = number
    collector_image  = string
    collector_cpu    = optional(number, 64)
    collector_memory = optional(number, 64)
  })
  default = null

  validation {
    condition     = var.tracing == null || try(var.tracing.sample_ratio >= 0 && var.tracing.sample_ratio <= 1, false)
    error_message = "tracing.sample_ratio is in [0, 1]."
  }
}

variable "entry_point" {
  description = "Overrides the image's ENTRYPOINT (exec form), to run another program of the same image; null keeps the image's."
  type        = list(string)
  default     = null
}

variable "command" {
  description = "Overrides the image's CMD (the entry point's arguments); null keeps the image's."
  type        = list(string)
  default     = null
}

variable "stop_timeout" {
  description = "Seconds ECS waits after SIGTERM before SIGKILL."
  type        = number
  default     = 30

  validation {
    condition     = var.stop_timeout >= 2 && var.stop_timeout <= 120
    error_message = "stop_timeout must be between 2 and 120 seconds."
  }
}

variable "execution_role_arn" {
  description = "Execution role (pulls the image, writes logs, reads var.secrets)."
  type        = string
}

variable "task_role_policy_json" {
  description = "IAM policy of the task role: exactly what the service's code calls."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the service's log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key encrypting the log group; null for CloudWatch's default encryption."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC of the service's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the tasks."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "At least one subnet is needed."
  }
}

variable "egress_ports" {
  description = "TCP ports the tasks may open to the internet (AWS APIs via NAT or endpoints, external HTTP)."
  type        = list(number)
  default     = [443]
}

variable "load_balancer" {
  description = "Load balancer in front of the service: the target group its tasks register in and the load balancer's security group, which may reach container_port. Null for none."
  type = object({
    target_group_arn                  = string
    security_group_id                 = string
    health_check_grace_period_seconds = optional(number, 30)
  })
  default = null
}

variable "desired_count" {
  description = "Initial task count (autoscaling owns it afterwards)."
  type        = number
  default     = 1
}

variable "autoscaling" {
  description = "Autoscaling bounds and the policies to use: CPU, ALB requests per target, and/or SQS backlog per task."
  type = object({
    min_capacity       = optional(number, 1)
    max_capacity       = optional(number, 4)
    cpu_target_percent = optional(number)
    request_count = optional(object({
      target_per_target = number
      resource_label    = string
    }))
    queue_backlog = optional(object({
      queue_name      = string
      target_per_task = number
    }))
    scale_in_cooldown  = optional(number, 120)
    scale_out_cooldown = optional(number, 30)
  })
  default = null

  validation {
    condition     = var.autoscaling == null || try(var.autoscaling.min_capacity >= 1 && var.autoscaling.max_capacity >= var.autoscaling.min_capacity, false)
    error_message = "autoscaling needs 1 <= min_capacity <= max_capacity (backlog per task divides by the running task count)."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
