output "queue_url" {
  description = "Queue the catalogue consumer polls."
  value       = module.productshot_events.queue_url
}

output "event_bus_arn" {
  description = "Give this to Productshot as target.event_bus_arn."
  value       = module.productshot_events.event_bus_arn
}

output "consumer_policy_arn" {
  description = "Attach to the consumer's role."
  value       = aws_iam_policy.consumer.arn
}
