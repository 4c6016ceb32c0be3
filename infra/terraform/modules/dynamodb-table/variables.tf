variable "create" {
  description = "Whether to create the table."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the table."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{3,255}$", var.name))
    error_message = "A table name is 3-255 characters of letters, digits, '.', '-' or '_'."
  }
}

variable "hash_key" {
  description = "Partition key attribute."
  type        = string
}

variable "range_key" {
  description = "Sort key attribute, or null."
  type        = string
  default     = null
}

variable "attributes" {
  description = "Key attributes of the table and its indexes, with their types (S, N or B)."
  type = list(object({
    name = string
    type = string
  }))

  validation {
    condition     = alltrue([for a in var.attributes : contains(["S", "N", "B"], a.type)])
    error_message = "Attribute types are S, N or B."
  }
}

variable "global_secondary_indexes" {
  description = "Global secondary indexes (on-demand, so no capacities)."
  type = list(object({
    name               = string
    hash_key           = string
    range_key          = optional(string)
    projection_type    = optional(string, "ALL")
    non_key_attributes = optional(list(string))
  }))
  default = []

  validation {
    condition     = alltrue([for g in var.global_secondary_indexes : contains(["ALL", "KEYS_ONLY", "INCLUDE"], g.projection_type)])
    error_message = "projection_type is ALL, KEYS_ONLY or INCLUDE."
  }
}

variable "ttl_attribute" {
  description = "Attribute holding the expiry time (epoch seconds); null disables TTL."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for encryption at rest; null uses the AWS-owned key."
  type        = string
  default     = null
}

variable "deletion_protection_enabled" {
  description = "Refuse DeleteTable while true (set false before a teardown)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
