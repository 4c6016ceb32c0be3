output "repository_urls" {
  description = "Repository URLs (registry/name) keyed by repository name."
  value       = { for k, r in aws_ecr_repository.this : k => r.repository_url }
}

output "repository_arns" {
  description = "Repository ARNs keyed by repository name."
  value       = { for k, r in aws_ecr_repository.this : k => r.arn }
}
