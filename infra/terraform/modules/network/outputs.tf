output "vpc_id" {
  description = "VPC the services run in."
  value       = var.create_vpc ? try(aws_vpc.this[0].id, null) : var.existing_network.vpc_id
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer)."
  value       = var.create_vpc ? aws_subnet.public[*].id : var.existing_network.public_subnet_ids
}

output "private_subnet_ids" {
  description = "Private subnets (tasks)."
  value       = var.create_vpc ? aws_subnet.private[*].id : var.existing_network.private_subnet_ids
}

output "nat_public_ips" {
  description = "Public IPs the tasks reach the internet from (for allow-lists of scraped sites)."
  value       = aws_eip.nat[*].public_ip
}

output "cidr_block" {
  description = "CIDR block of the VPC (the load balancer's addresses are in it: the API trusts X-Forwarded-For only from there)."
  value       = var.create_vpc ? var.cidr_block : try(data.aws_vpc.existing[0].cidr_block, null)
}
