output "rule_arn" {
  description = "ARN of the rule."
  value       = try(aws_cloudwatch_event_rule.this[0].arn, null)
}

output "rule_name" {
  description = "Name of the rule."
  value       = try(aws_cloudwatch_event_rule.this[0].name, null)
}

output "target_arn" {
  description = "ARN of the target events are delivered to (created or given)."
  value       = var.create ? local.target_arn : null
}

output "queue_url" {
  description = "URL of the queue the module created (null when a target was given)."
  value       = try(aws_sqs_queue.this[0].url, null)
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue of failed deliveries."
  value       = var.create ? local.dead_letter_arn : null
}

output "dlq_url" {
  description = "URL of the dead-letter queue the module created (null when it created none)."
  value       = try(aws_sqs_queue.dlq[0].url, null)
}

output "delivery_role_arn" {
  description = "Role EventBridge assumes to deliver (bus targets and other accounts' queues/functions; null otherwise). Its ARN is fixed by the name (<name>-delivery), so the target's owner can write their policy before this apply."
  value       = local.use_role ? local.role_arn : null
}

output "target_policy_json" {
  description = "Resource-policy statement the owner of a given queue or function adds to it (admits this rule, or its delivery role across accounts). Null for a bus target (see the receiver module) and for a queue the module created (attached already)."
  value       = local.create_queue ? null : try(data.aws_iam_policy_document.target[0].json, null)
}
