variable "region" {
  description = "Region of the Productshot bus (rules live next to the bus)."
  type        = string
  default     = "eu-west-1"
}

variable "productshot_bus_arn" {
  description = "ARN of Productshot's event bus (output event_bus_arn of its deployment)."
  type        = string
}

variable "tenant" {
  description = "Tenant whose images to receive."
  type        = string
  default     = "catalogue"
}
