output "queue_arn" {
  description = "ARN of the queue (give it to Productshot with delivery = \"queue\")."
  value       = aws_sqs_queue.this.arn
}

output "queue_url" {
  description = "URL of the queue your consumer polls."
  value       = aws_sqs_queue.this.url
}

output "dlq_url" {
  description = "URL of the dead-letter queue to watch."
  value       = aws_sqs_queue.dlq.url
}

output "event_bus_arn" {
  description = "ARN of your bus (give it to Productshot with delivery = \"bus\"); null with delivery = \"queue\"."
  value       = try(data.aws_cloudwatch_event_bus.this[0].arn, null)
}

output "bus_policy_json" {
  description = "The bus policy statement admitting Productshot's delivery role (attached unless manage_bus_policy is false)."
  value       = try(data.aws_iam_policy_document.bus[0].json, null)
}
