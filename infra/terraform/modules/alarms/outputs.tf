output "topic_arn" {
  description = "ARN of the SNS topic the alarms notify."
  value       = try(aws_sns_topic.this[0].arn, null)
}

output "alarm_names" {
  description = "Names of all alarms the module created."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.dlq_depth : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.oldest_message : a.alarm_name],
    aws_cloudwatch_metric_alarm.http_5xx_rate[*].alarm_name,
  )
}
