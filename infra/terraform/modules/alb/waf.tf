# The cross-task first line against floods: the API's own token bucket is per task, so N
# tasks admit N times its rate; these limits hold for the whole load balancer.
resource "aws_wafv2_web_acl" "this" {
  #checkov:skip=CKV2_AWS_31:WAF logging needs a Firehose or an aws-waf-logs-* log group per deployment; the sampled requests and CloudWatch metrics enabled below cover the rate rules.
  count = local.create_waf ? 1 : 0

  name        = local.lb_name
  description = "Rate limits per client IP and per Authorization header for ${var.name}."
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "known-bad-inputs"
    priority = 0

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "rate-per-ip"
    priority = 1

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.waf.requests_per_ip
        aggregate_key_type    = "IP"
        evaluation_window_sec = 300
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  # One API key (Authorization: Bearer ...) spread over many addresses is still one caller.
  rule {
    name     = "rate-per-credential"
    priority = 2

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.waf.requests_per_credential
        aggregate_key_type    = "CUSTOM_KEYS"
        evaluation_window_sec = 300

        custom_key {
          header {
            name = "authorization"

            text_transformation {
              priority = 0
              type     = "NONE"
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-per-credential"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = local.lb_name
    sampled_requests_enabled   = true
  }

  tags = var.tags
}
