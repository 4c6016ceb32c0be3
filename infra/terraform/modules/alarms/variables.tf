variable "create" {
  description = "Whether to create the topic and the alarms."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of the topic and alarms."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the SNS topic (its policy must let cloudwatch.amazonaws.com use it)."
  type        = string
}

variable "email_subscriptions" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.email_subscriptions : can(regex("^[^@\\s]+@[^@\\s]+$", e))])
    error_message = "Every subscription must be an e-mail address."
  }
}

variable "dead_letter_queue_names" {
  description = "Dead-letter queues; any visible message raises an alarm."
  type        = list(string)
  default     = []
}

variable "oldest_message_age" {
  description = "Work queues and the age (seconds) of their oldest message that raises an alarm."
  type        = map(number)
  default     = {}
}

variable "load_balancer" {
  description = "Load balancer whose 5xx rate (target and ELB 5xx over requests, percent) is watched; null for none."
  type = object({
    arn_suffix             = string
    max_5xx_rate_percent   = optional(number, 5)
    min_requests_per_5_min = optional(number, 20)
  })
  default = null
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
