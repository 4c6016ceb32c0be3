variable "region" {
  description = "Region of the Productshot bus."
  type        = string
  default     = "eu-west-1"
}

variable "productshot_bus_name" {
  description = "Name of Productshot's bus with its prefix (output event_bus_name of the deployment, e.g. acme-prod-productshot)."
  type        = string
}

variable "tenant" {
  description = "Tenant whose images to receive."
  type        = string
  default     = "catalogue"
}
