output "bus_name" {
  description = "Name of the event bus."
  value       = try(aws_cloudwatch_event_bus.this[0].name, null)
}

output "bus_arn" {
  description = "ARN of the event bus (what subscribers in other accounts pass as event_bus_name)."
  value       = try(aws_cloudwatch_event_bus.this[0].arn, null)
}

output "archive_arn" {
  description = "ARN of the archive (source of StartReplay)."
  value       = try(aws_cloudwatch_event_archive.this[0].arn, null)
}

output "rule_arns" {
  description = "ARNs of the rules, keyed like var.rules."
  value       = { for k, r in aws_cloudwatch_event_rule.this : k => r.arn }
}

output "schema_registry_name" {
  description = "Name of the schema registry."
  value       = try(aws_schemas_registry.this[0].name, null)
}

output "schema_arns" {
  description = "ARNs of the registered schemas, keyed by schema name."
  value       = { for k, s in aws_schemas_schema.this : k => s.arn }
}
