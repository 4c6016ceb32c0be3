variable "create" {
  description = "Whether to create the bus and everything on it."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the custom event bus."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,256}$", var.name)) && var.name != "default"
    error_message = "The bus name is 1-256 characters of letters, digits, '.', '-' or '_' and not 'default'."
  }
}

variable "archive" {
  description = "Archive of every event on the bus, for replay. retention_days = 0 keeps events forever."
  type = object({
    create         = optional(bool, true)
    name           = string
    retention_days = optional(number, 30)
  })

  validation {
    condition     = var.archive.retention_days >= 0
    error_message = "archive.retention_days must be 0 (forever) or more."
  }
}

variable "queues" {
  description = "SQS queues the rules may target or use as dead-letter queues, keyed by the name the rules refer to. The module attaches a queue policy that lets exactly those rules send."
  type = map(object({
    arn = string
    url = string
  }))
  default = {}
}

variable "rules" {
  description = "Rules with one SQS target each. target_queue and target_dlq are keys of var.queues; the retry policy bounds how long EventBridge retries before the event goes to the DLQ."
  type = map(object({
    name                         = string
    description                  = optional(string, "")
    event_pattern                = string
    target_queue                 = string
    target_dlq                   = string
    maximum_retry_attempts       = optional(number, 185)
    maximum_event_age_in_seconds = optional(number, 86400)
  }))
  default = {}

  validation {
    condition     = alltrue([for r in values(var.rules) : can(jsondecode(r.event_pattern))])
    error_message = "Every rules[*].event_pattern must be a JSON document."
  }

  validation {
    condition = alltrue([
      for r in values(var.rules) :
      r.maximum_retry_attempts >= 0 && r.maximum_retry_attempts <= 185 &&
      r.maximum_event_age_in_seconds >= 60 && r.maximum_event_age_in_seconds <= 86400
    ])
    error_message = "maximum_retry_attempts must be 0-185 and maximum_event_age_in_seconds 60-86400."
  }
}

variable "schema_registry" {
  description = "EventBridge schema registry holding the events' JSON Schemas. schemas maps a schema name to its file content (JSON Schema, registered as JSONSchemaDraft4: see main.tf). reader_account_ids / reader_organization_id may read the registry (aws_schemas_registry_policy)."
  type = object({
    create      = optional(bool, true)
    name        = string
    description = optional(string, "")
    schemas = optional(map(object({
      content     = string
      description = optional(string, "")
    })), {})
    reader_account_ids     = optional(list(string), [])
    reader_organization_id = optional(string)
  })
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
