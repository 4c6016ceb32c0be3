variable "name" {
  description = "Name of the queue (and of the rule on your bus with delivery = \"bus\"); the DLQ adds -dlq."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,76}$", var.name))
    error_message = "The name is 1-76 characters of letters, digits, '-' or '_' (SQS allows 80 with -dlq)."
  }
}

variable "sender" {
  description = "Productshot's side: its AWS account ID and the name of the subscription rule it created for you (\"<name_prefix>to-<key>\" of its event_subscriptions; its delivery role is that name + \"-delivery\")."
  type = object({
    account_id = string
    rule_name  = string
  })

  validation {
    condition     = can(regex("^[0-9]{12}$", var.sender.account_id))
    error_message = "sender.account_id is a 12-digit AWS account ID."
  }
}

variable "delivery" {
  description = "\"bus\": Productshot forwards to your event bus (any region) and a rule here routes to the queue. \"queue\": Productshot delivers straight to the queue (must be in the region of Productshot's bus)."
  type        = string
  default     = "bus"

  validation {
    condition     = contains(["bus", "queue"], var.delivery)
    error_message = "delivery is \"bus\" or \"queue\"."
  }
}

variable "event_bus_name" {
  description = "Your bus that receives Productshot's events (delivery = \"bus\")."
  type        = string
  default     = "default"
}

variable "manage_bus_policy" {
  description = "Let the module own your bus's resource policy (a bus has exactly one). False: merge output bus_policy_json into yours."
  type        = bool
  default     = true
}

variable "event_pattern" {
  description = "Pattern of the rule on your bus (delivery = \"bus\"); null matches every event from Productshot's account with a productshot.* source. Filter further on Productshot's side (its event_subscriptions pattern) to pay for fewer events."
  type        = string
  default     = null
}

variable "queue" {
  description = "Settings of the queue and its dead-letter queue."
  type = object({
    visibility_timeout_seconds    = optional(number, 60)
    message_retention_seconds     = optional(number, 345600)
    receive_wait_time_seconds     = optional(number, 20)
    max_receive_count             = optional(number, 5)
    dlq_message_retention_seconds = optional(number, 1209600)
  })
  default = {}
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
