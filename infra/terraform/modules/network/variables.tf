variable "create_vpc" {
  description = "Create a small VPC (public subnets for the load balancer, private subnets with a NAT gateway for the tasks). False uses the existing network given in existing_network."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of the network resources."
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the created VPC; split into /20 subnets."
  type        = string
  default     = "10.42.0.0/16"

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) <= 18
    error_message = "cidr_block must be a valid IPv4 CIDR of /18 or larger."
  }
}

variable "availability_zones" {
  description = "Availability zones of the created VPC (two or three)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || (length(var.availability_zones) >= 2 && length(var.availability_zones) <= 3)
    error_message = "Give two or three availability zones (or none to take the region's first two)."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper) instead of one per zone (survives a zone outage)."
  type        = bool
  default     = true
}

variable "interface_endpoints" {
  description = "Create interface endpoints (ECR api and dkr, Logs, SQS, SSM, EventBridge, STS) in the private subnets of the created VPC, so that AWS traffic skips the NAT gateway."
  type        = bool
  default     = false
}

variable "existing_network" {
  description = "The existing VPC and subnets, used when create_vpc is false. Private subnets need a route to the internet (NAT) or VPC endpoints for ECR, Logs, SQS, SSM, EventBridge, S3 and DynamoDB."
  type = object({
    vpc_id             = string
    public_subnet_ids  = list(string)
    private_subnet_ids = list(string)
  })
  default = null
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group."
  type        = number
  default     = 30
}

variable "kms_key_arn" {
  description = "KMS key of the flow log group; null for CloudWatch's default encryption."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
