output "dns_name" {
  description = "DNS name of the load balancer (point the API's CNAME/alias here)."
  value       = try(aws_lb.this[0].dns_name, null)
}

output "zone_id" {
  description = "Hosted zone of the load balancer, for a Route 53 alias."
  value       = try(aws_lb.this[0].zone_id, null)
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimension LoadBalancer)."
  value       = try(aws_lb.this[0].arn_suffix, null)
}

output "target_group_arn" {
  description = "ARN of the target group the API service registers in."
  value       = try(aws_lb_target_group.this[0].arn, null)
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (CloudWatch dimension TargetGroup)."
  value       = try(aws_lb_target_group.this[0].arn_suffix, null)
}

output "security_group_id" {
  description = "Security group of the load balancer."
  value       = try(aws_security_group.this[0].id, null)
}
