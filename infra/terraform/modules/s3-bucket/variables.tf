variable "create" {
  description = "Whether to create the bucket."
  type        = bool
  default     = true
}

variable "name" {
  description = "Globally unique bucket name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "A bucket name is 3-63 lower-case letters, digits, '.' or '-'."
  }
}

variable "lifecycle_expiration_days" {
  description = "Days after which objects expire (and incomplete uploads are aborted)."
  type        = number
  default     = 30

  validation {
    condition     = var.lifecycle_expiration_days >= 1
    error_message = "lifecycle_expiration_days must be at least 1."
  }
}

variable "lifecycle_prefixes" {
  description = "Key prefixes that expire after lifecycle_expiration_days, by rule name (rule \"expire-<key>\"); an empty prefix is the whole bucket."
  type        = map(string)
  default     = { objects = "" }

  validation {
    condition     = length(var.lifecycle_prefixes) >= 1 && alltrue([for k in keys(var.lifecycle_prefixes) : can(regex("^[a-z0-9-]{1,56}$", k))])
    error_message = "lifecycle_prefixes needs at least one entry; keys are lower-case letters, digits and hyphens (at most 56: the rule ID is expire-<key>, 64 at most)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for SSE-KMS; null uses SSE-S3 (AES256)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let terraform destroy delete a bucket that still holds objects."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}

variable "readers" {
  description = "Other accounts (root ARNs) and/or one AWS Organizations ID allowed s3:GetObject on objects under prefix. Empty for none."
  type = object({
    account_arns    = optional(list(string), [])
    organization_id = optional(string)
    prefix          = optional(string, "")
  })
  default = {}
}
