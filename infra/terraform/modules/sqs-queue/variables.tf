variable "create" {
  description = "Whether to create the queue (and its dead-letter queue)."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the queue."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,80}$", var.name))
    error_message = "A standard queue name is 1-80 characters of letters, digits, '-' or '_'."
  }
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays invisible; longer than the slowest handler run."
  type        = number
  default     = 30

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 0 and 43200."
  }
}

variable "message_retention_seconds" {
  description = "How long the queue keeps a message."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600."
  }
}

variable "receive_wait_time_seconds" {
  description = "Long-poll wait of ReceiveMessage."
  type        = number
  default     = 20

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20
    error_message = "receive_wait_time_seconds must be between 0 and 20."
  }
}

variable "create_dlq" {
  description = "Whether to create a dead-letter queue and a redrive policy for this queue. False for queues that are themselves dead-letter queues."
  type        = bool
  default     = true
}

variable "dlq" {
  description = "Dead-letter queue settings: its name, retention and after how many receives a message moves there."
  type = object({
    name                      = optional(string)
    message_retention_seconds = optional(number, 1209600)
    max_receive_count         = optional(number, 5)
  })
  default = {}

  validation {
    condition     = var.dlq.max_receive_count >= 1 && var.dlq.max_receive_count <= 1000
    error_message = "dlq.max_receive_count must be between 1 and 1000."
  }
}

variable "kms_master_key_id" {
  description = "KMS key for server-side encryption. Null uses SQS-managed encryption (SSE-SQS), which EventBridge can deliver to without key grants."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
