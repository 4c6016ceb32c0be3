output "api_url" {
  description = "HTTPS URL of the API: the hostname its certificate covers (with route53_zone_id, the alias record points it at the load balancer; otherwise point it at alb_dns_name yourself)."
  value       = "https://${var.api_domain.hostname}"
}

output "alb_dns_name" {
  description = "DNS name of the API load balancer (the target of the API hostname's alias or CNAME)."
  value       = module.alb.dns_name
}

output "kms_key_arn" {
  description = "The customer-managed key of the data at rest; event readers' consumers need kms:Decrypt on it (through S3)."
  value       = aws_kms_key.this.arn
}

output "event_bus_name" {
  description = "Name of the event bus with its prefix (what a same-account subscription's event_bus_name is)."
  value       = module.event_bus.bus_name
}

output "event_subscriptions" {
  description = "Per entry of event_subscriptions: the rule, its delivery role (the name the subscriber's policy admits), its DLQ, and the policy statement a directly targeted queue or function must carry."
  value = {
    for k, m in module.event_subscriptions : k => {
      rule_name          = m.rule_name
      delivery_role_arn  = m.delivery_role_arn
      dlq_url            = m.dlq_url
      target_policy_json = m.target_policy_json
    }
  }
}

output "image_tag" {
  description = "The image tag the services run (set in one place: the environment's tfvars)."
  value       = var.image_tag
}

output "ecr_repository_urls" {
  description = "ECR repository URL of each service; push <url>:<image_tag> before create_services = true."
  value       = { for k, s in local.service_specs : k => module.ecr.repository_urls[s.repository] }
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_names" {
  description = "ECS service name of each service (null while create_services is false)."
  value       = { for k, s in module.services : k => s.service_name }
}

output "event_bus_arn" {
  description = "ARN of the event bus (the account and region subscribers' events come from)."
  value       = module.event_bus.bus_arn
}

output "event_archive_arn" {
  description = "ARN of the event archive (for StartReplay)."
  value       = module.event_bus.archive_arn
}

output "schema_registry_name" {
  description = "EventBridge schema registry with the events' JSON Schemas."
  value       = module.event_bus.schema_registry_name
}

output "queue_urls" {
  description = "URLs of the work queues and their dead-letter queues."
  value = merge(
    { for k, q in module.queues : k => q.queue_url },
    { for k, q in module.queues : "${k}-dlq" => q.dlq_url },
    { for k, q in module.extra_queues : k => q.queue_url },
  )
}

output "jobs_table_name" {
  description = "Name of the jobs table."
  value       = module.jobs_table.table_name
}

output "images_bucket_name" {
  description = "Name of the images bucket."
  value       = module.images_bucket.bucket_name
}

output "ssm_parameter_names" {
  description = "SSM parameters whose values you set out of band (OpenAI key, API keys)."
  value       = { for k, p in aws_ssm_parameter.this : k => p.name }
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = module.alarms.topic_arn
}

output "nat_public_ips" {
  description = "Public IPs the scraper fetches product pages from."
  value       = module.network.nat_public_ips
}

output "sweeper_schedule_name" {
  description = "EventBridge Scheduler schedule that starts the sweeper (null when create_sweeper is false)."
  value       = try(aws_scheduler_schedule.sweeper[0].name, null)
}

output "sweeper_task_definition_arn" {
  description = "Task definition of the sweeper, for a manual run with aws ecs run-task (null when create_sweeper is false)."
  value       = module.sweeper.task_definition_arn
}

output "sweeper_security_group_id" {
  description = "Security group of the sweeper's tasks, for a manual run (null when create_sweeper is false)."
  value       = module.sweeper.security_group_id
}

output "private_subnet_ids" {
  description = "Private subnets of the tasks, for a manual aws ecs run-task."
  value       = module.network.private_subnet_ids
}

output "redrive_operator_policy_arn" {
  description = "IAM policy to attach to the operators who run python -m services.ops.redrive (null when create_redrive_operator_policy is false)."
  value       = try(aws_iam_policy.redrive_operator[0].arn, null)
}
