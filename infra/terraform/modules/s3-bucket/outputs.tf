output "bucket_name" {
  description = "Name of the bucket."
  value       = try(aws_s3_bucket.this[0].bucket, null)
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = try(aws_s3_bucket.this[0].arn, null)
}
