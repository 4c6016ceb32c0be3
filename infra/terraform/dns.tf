# The API's hostname: its certificate (issued here with DNS validation when the zone is in
# Route 53, or brought by the caller) and the alias record, so the URL printed by
# `terraform output api_url` is the name the certificate covers.

locals {
  manage_dns      = var.api_domain.route53_zone_id != null
  issue_cert      = local.manage_dns && var.api_domain.certificate_arn == null
  certificate_arn = local.issue_cert ? aws_acm_certificate_validation.api[0].certificate_arn : var.api_domain.certificate_arn
}

resource "aws_acm_certificate" "api" {
  count = local.issue_cert ? 1 : 0

  domain_name       = var.api_domain.hostname
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "api_validation" {
  for_each = local.issue_cert ? {
    for o in aws_acm_certificate.api[0].domain_validation_options : o.domain_name => o
  } : {}

  zone_id         = var.api_domain.route53_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

# Waits (up to 75 minutes by default) until ACM has issued the certificate: the HTTPS
# listener is only created with an issued one.
resource "aws_acm_certificate_validation" "api" {
  count = local.issue_cert ? 1 : 0

  certificate_arn         = aws_acm_certificate.api[0].arn
  validation_record_fqdns = [for r in aws_route53_record.api_validation : r.fqdn]
}

resource "aws_route53_record" "api" {
  count = local.manage_dns ? 1 : 0

  zone_id = var.api_domain.route53_zone_id
  name    = var.api_domain.hostname
  type    = "A"

  alias {
    name                   = module.alb.dns_name
    zone_id                = module.alb.zone_id
    evaluate_target_health = true
  }
}
