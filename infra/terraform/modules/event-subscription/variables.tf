variable "create" {
  description = "Whether to create the subscription."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the rule (and, when the module creates the queue, the default queue name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.name))
    error_message = "A rule name is 1-64 characters of letters, digits, '.', '-' or '_'."
  }
}

variable "description" {
  description = "Description of the rule."
  type        = string
  default     = ""
}

variable "event_bus_name" {
  description = "Name of the bus in this account, or the bus ARN when it lives in another account (whose bus policy must allow this account to manage its rules)."
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

variable "target_queue_arn" {
  description = "ARN of an existing SQS queue to deliver to. Null makes the module create a queue with a dead-letter queue and the queue policy. With an existing queue, add the statement from the queue_policy_json output to that queue's policy."
  type        = string
  default     = null

  validation {
    condition     = var.target_queue_arn == null || can(regex("^arn:aws[a-z-]*:sqs:", var.target_queue_arn))
    error_message = "target_queue_arn must be an SQS queue ARN."
  }
}

variable "queue" {
  description = "Settings of the queue the module creates when target_queue_arn is null."
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
  description = "SQS queue for events EventBridge could not deliver. Null uses the dead-letter queue the module creates (required when target_queue_arn is set)."
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
