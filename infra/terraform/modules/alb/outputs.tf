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
  description = "ARN of the target group the API service registers in. Known only once the listeners exist: an ECS service registering in a target group without a load balancer fails (\"target group does not have an associated load balancer\")."
  value       = try(aws_lb_target_group.this[0].arn, null)
  depends_on  = [aws_lb_listener.https, aws_lb_listener.http, aws_lb_listener_rule.internal_paths]
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (CloudWatch dimension TargetGroup)."
  value       = try(aws_lb_target_group.this[0].arn_suffix, null)
}

output "security_group_id" {
  description = "Security group of the load balancer."
  value       = try(aws_security_group.this[0].id, null)
}

output "name" {
  description = "Name of the load balancer (var.name, or its hashed 32-character form)."
  value       = local.lb_name
}

output "target_group_name" {
  description = "Name of the target group (at most 32 characters)."
  value       = local.tg_name
}

output "web_acl_arn" {
  description = "WAF web ACL attached to the load balancer (ours or the caller's; null for none)."
  value       = var.create ? local.web_acl_arn : null
}
