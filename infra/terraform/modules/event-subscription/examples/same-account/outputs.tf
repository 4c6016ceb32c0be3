output "queue_url" {
  description = "Queue the catalogue consumer polls."
  value       = module.catalogue_images.queue_url
}

output "dlq_url" {
  description = "Dead-letter queue to watch."
  value       = module.catalogue_images.dlq_url
}
