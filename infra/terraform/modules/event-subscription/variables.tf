variable "create" {
  description = "Whether to create the subscription."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the rule (and, when the module creates the queue, the default queue name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,55}$", var.name))
    error_message = "The name is 1-55 characters of letters, digits, '.', '-' or '_' (the delivery role adds '-delivery' within IAM's 64)."
  }
}

variable "description" {
  description = "Description of the rule."
  type        = string
  default     = ""
}

variable "event_bus_name" {
  description = "Name (or ARN) of the bus in THIS account that the rule listens on: the module runs in the bus owner's account."
  type        = string
}

variable "event_pattern" {
  description = "EventBridge event pattern, as JSON (use jsonencode)."
  type        = string

  validation {
    condition     = can(jsondecode(var.event_pattern))
    error_message = "event_pattern must be a JSON document."
  }
}

variable "tenants" {
  description = "Deliver only these Productshot tenants' events (detail.tenant), whatever event_pattern says about tenants. Empty: every tenant's."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for t in var.tenants : length(trimspace(t)) > 0])
    error_message = "tenants are non-empty tenant names."
  }
}

variable "target" {
  description = "Where matching events go; at most one. event_bus_arn: a bus in another account or region (bus-to-bus, through a role). queue_arn / function_arn: an SQS queue or Lambda function in this account, or in another account of the same region (through a role; its owner attaches output target_policy_json). None: the module creates a queue (with a DLQ) here."
  type = object({
    event_bus_arn = optional(string)
    queue_arn     = optional(string)
    function_arn  = optional(string)
  })
  default = {}

  validation {
    condition = (
      (var.target.event_bus_arn == null || can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/", coalesce(var.target.event_bus_arn, "-")))) &&
      (var.target.queue_arn == null || can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:", coalesce(var.target.queue_arn, "-")))) &&
      (var.target.function_arn == null || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:", coalesce(var.target.function_arn, "-"))))
    )
    error_message = "target.event_bus_arn, queue_arn and function_arn must be ARNs of an event bus, an SQS queue and a Lambda function."
  }
}

variable "queue" {
  description = "Settings of the queue the module creates when no target is given (name defaults to var.name), and of the dead-letter queue it creates."
  type = object({
    name                          = optional(string)
    visibility_timeout_seconds    = optional(number, 60)
    message_retention_seconds     = optional(number, 345600)
    receive_wait_time_seconds     = optional(number, 20)
    max_receive_count             = optional(number, 5)
    dlq_message_retention_seconds = optional(number, 1209600)
  })
  default = {}

  validation {
    condition     = var.queue.max_receive_count >= 1 && var.queue.max_receive_count <= 1000
    error_message = "queue.max_receive_count must be between 1 and 1000."
  }
}

variable "target_dead_letter_arn" {
  description = "SQS queue in this account (and region) for events EventBridge could not deliver; its policy must admit this rule. Null: the module creates one (\"<queue name>-dlq\")."
  type        = string
  default     = null
}

variable "retry_policy" {
  description = "How long and how often EventBridge retries a failed delivery before dead-lettering the event."
  type = object({
    maximum_retry_attempts       = optional(number, 185)
    maximum_event_age_in_seconds = optional(number, 86400)
  })
  default = {}

  validation {
    condition = (
      var.retry_policy.maximum_retry_attempts >= 0 && var.retry_policy.maximum_retry_attempts <= 185 &&
      var.retry_policy.maximum_event_age_in_seconds >= 60 && var.retry_policy.maximum_event_age_in_seconds <= 86400
    )
    error_message = "maximum_retry_attempts must be 0-185 and maximum_event_age_in_seconds 60-86400."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
