output "rule_arn" {
  description = "ARN of the rule."
  value       = try(aws_cloudwatch_event_rule.this[0].arn, null)
}

output "rule_name" {
  description = "Name of the rule."
  value       = try(aws_cloudwatch_event_rule.this[0].name, null)
}

output "queue_arn" {
  description = "ARN of the queue events are delivered to (created or given)."
  value       = var.create ? local.target_arn : null
}

output "queue_url" {
  description = "URL of the queue the module created (null when target_queue_arn was given)."
  value       = try(aws_sqs_queue.this[0].url, null)
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue in use for failed deliveries."
  value       = var.create ? local.dead_letter_arn : null
}

output "dlq_url" {
  description = "URL of the dead-letter queue the module created (null when it created none)."
  value       = try(aws_sqs_queue.dlq[0].url, null)
}

output "queue_policy_json" {
  description = "Queue policy that lets this rule send to the target queue; merge it into an existing queue's policy (and the same for its dead-letter queue)."
  value       = try(data.aws_iam_policy_document.queue[0].json, null)
}
