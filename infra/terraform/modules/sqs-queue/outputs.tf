output "queue_name" {
  description = "Name of the queue."
  value       = try(aws_sqs_queue.this[0].name, null)
}

output "queue_arn" {
  description = "ARN of the queue."
  value       = try(aws_sqs_queue.this[0].arn, null)
}

output "queue_url" {
  description = "URL of the queue."
  value       = try(aws_sqs_queue.this[0].url, null)
}

output "dlq_name" {
  description = "Name of the dead-letter queue (null when create_dlq is false)."
  value       = try(aws_sqs_queue.dlq[0].name, null)
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue (null when create_dlq is false)."
  value       = try(aws_sqs_queue.dlq[0].arn, null)
}

output "dlq_url" {
  description = "URL of the dead-letter queue (null when create_dlq is false)."
  value       = try(aws_sqs_queue.dlq[0].url, null)
}
