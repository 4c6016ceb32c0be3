variable "region" {
  description = "Region of this account's bus and queue (any region for delivery = \"bus\"; Productshot's region for the images' KMS condition)."
  type        = string
  default     = "eu-west-1"
}

variable "productshot_account_id" {
  description = "Productshot's AWS account ID."
  type        = string
}

variable "productshot_rule_name" {
  description = "Name of the rule Productshot created for you (<name_prefix>to-<key>)."
  type        = string
}

variable "productshot_bucket" {
  description = "Productshot's images bucket (output images_bucket_name)."
  type        = string
}

variable "productshot_kms_key_arn" {
  description = "Productshot's KMS key (output kms_key_arn)."
  type        = string
}
