variable "create" {
  description = "Whether to create the load balancer."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the load balancer and its target group. Names longer than AWS's 32 characters are cut and end in a hash of the full name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", var.name)) && !startswith(var.name, "internal-")
    error_message = "The name is 1-63 characters of letters, digits or '-', starting with a letter or digit and not with 'internal-'."
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
  description = "An existing WAFv2 web ACL to associate with the load balancer; null uses the module's own (var.waf)."
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

variable "waf" {
  description = "The module's WAF web ACL (when web_acl_arn is null): rate-based rules per client IP and per Authorization header over a 5-minute window, and AWS's known-bad-inputs rule group. Limits are requests per 5 minutes."
  type = object({
    create                  = optional(bool, true)
    requests_per_ip         = optional(number, 3000)
    requests_per_credential = optional(number, 6000)
  })
  default = {}

  validation {
    condition     = var.waf.requests_per_ip >= 10 && var.waf.requests_per_credential >= 10
    error_message = "WAF rate limits are at least 10 requests per evaluation window."
  }
}

variable "internal_paths" {
  description = "Path patterns the HTTPS listener answers with 404 itself (never forwarded): probes only the VPC may call."
  type        = list(string)
  default     = ["/readyz", "/readyz/*"]

  validation {
    condition     = length(var.internal_paths) <= 5
    error_message = "A listener rule condition takes at most 5 path patterns."
  }
}
