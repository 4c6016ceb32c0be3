output "table_name" {
  description = "Name of the table."
  value       = try(aws_dynamodb_table.this[0].name, null)
}

output "table_arn" {
  description = "ARN of the table."
  value       = try(aws_dynamodb_table.this[0].arn, null)
}

output "index_arns" {
  description = "ARN pattern covering the table's indexes (for IAM)."
  value       = try("${aws_dynamodb_table.this[0].arn}/index/*", null)
}
