variable "create" {
  description = "Whether to create the repositories."
  type        = bool
  default     = true
}

variable "repository_names" {
  description = "Names of the repositories to create."
  type        = set(string)

  validation {
    condition     = alltrue([for n in var.repository_names : can(regex("^[a-z0-9][a-z0-9._/-]{1,255}$", n))])
    error_message = "Repository names are lower-case letters, digits, '.', '_', '-' or '/'."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the images; null uses AES256."
  type        = string
  default     = null
}

variable "keep_tagged_images" {
  description = "How many tagged images each repository keeps (older ones are expired)."
  type        = number
  default     = 20

  validation {
    condition     = var.keep_tagged_images >= 1
    error_message = "keep_tagged_images must be at least 1."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images are expired."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiry_days >= 1
    error_message = "untagged_expiry_days must be at least 1."
  }
}

variable "force_delete" {
  description = "Let terraform destroy delete repositories that still hold images."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
