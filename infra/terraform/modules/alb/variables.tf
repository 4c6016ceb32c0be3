variable "create" {
  description = "Whether to create the load balancer."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the load balancer and its target group (at most 32 characters)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]{1,29}$", var.name))
    error_message = "The name is 1-29 characters of letters, digits or '-' (the target group adds '-tg')."
  }
}

variable "vpc_id" {
  description = "VPC of the load balancer."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets (two or more availability zones)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "An application load balancer needs subnets in at least two availability zones."
  }
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "ingress_cidr_blocks" {
  description = "Client CIDR blocks allowed to reach ports 80 and 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "target_port" {
  description = "Container port the target group forwards to."
  type        = number
  default     = 8000
}

variable "health_check_path" {
  description = "HTTP path of the target group health check."
  type        = string
  default     = "/healthz"
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer while true (set false before a teardown)."
  type        = bool
  default     = true
}

variable "access_logs_bucket" {
  description = "Existing bucket for ALB access logs (with the ELB log delivery policy); null disables them."
  type        = string
  default     = null
}

variable "web_acl_arn" {
  description = "WAFv2 web ACL to associate with the load balancer; null for none."
  type        = string
  default     = null
}

variable "idle_timeout" {
  description = "Idle connection timeout in seconds."
  type        = number
  default     = 60
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
