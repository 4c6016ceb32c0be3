output "service_name" {
  description = "Name of the ECS service (null until create_service)."
  value       = try(aws_ecs_service.this[0].name, null)
}

output "task_definition_arn" {
  description = "ARN of the task definition revision."
  value       = try(aws_ecs_task_definition.this[0].arn, null)
}

output "task_definition_family" {
  description = "Family of the task definition (every revision's ARN starts with it)."
  value       = try(aws_ecs_task_definition.this[0].family, null)
}

output "task_role_arn" {
  description = "ARN of the task role."
  value       = try(aws_iam_role.task[0].arn, null)
}

output "task_role_name" {
  description = "Name of the task role."
  value       = try(aws_iam_role.task[0].name, null)
}

output "security_group_id" {
  description = "Security group of the tasks."
  value       = try(aws_security_group.this[0].id, null)
}

output "log_group_name" {
  description = "CloudWatch log group of the containers."
  value       = try(aws_cloudwatch_log_group.this[0].name, null)
}
