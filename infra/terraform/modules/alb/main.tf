locals {
  # AWS caps load balancer and target group names at 32 characters. A longer name keeps its
  # start and ends in a hash of the whole name, so it stays unique and stable across applies.
  lb_name = length(var.name) <= 32 ? var.name : "${substr(var.name, 0, 23)}-${substr(md5(var.name), 0, 8)}"
  tg_name = length(var.name) <= 29 ? "${var.name}-tg" : "${substr(var.name, 0, 20)}-tg-${substr(md5(var.name), 0, 8)}"

  create_waf  = var.create && var.waf.create && var.web_acl_arn == null
  web_acl_arn = var.web_acl_arn != null ? var.web_acl_arn : try(aws_wafv2_web_acl.this[0].arn, null)
}

resource "aws_security_group" "this" {
  count = var.create ? 1 : 0

  name        = "${var.name}-alb"
  description = "Load balancer ${var.name}: HTTPS in, HTTP in for the redirect, only the target port out"
  vpc_id      = var.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  for_each = var.create ? toset(var.ingress_cidr_blocks) : toset([])

  security_group_id = aws_security_group.this[0].id
  description       = "HTTPS from clients"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  #checkov:skip=CKV_AWS_260:Port 80 is open only to answer with a redirect to HTTPS; no content is served on it.
  for_each = var.create ? toset(var.ingress_cidr_blocks) : toset([])

  security_group_id = aws_security_group.this[0].id
  description       = "HTTP from clients, redirected to HTTPS"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

data "aws_vpc" "this" {
  count = var.create ? 1 : 0

  id = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "targets" {
  count = var.create ? 1 : 0

  security_group_id = aws_security_group.this[0].id
  description       = "To the targets inside the VPC"
  cidr_ipv4         = data.aws_vpc.this[0].cidr_block
  ip_protocol       = "tcp"
  from_port         = var.target_port
  to_port           = var.target_port
}

resource "aws_lb" "this" {
  #checkov:skip=CKV_AWS_91:Access logs need a bucket with the ELB delivery policy; pass access_logs_bucket to enable them.
  #checkov:skip=CKV2_AWS_28:The web ACL is attached by aws_wafv2_web_acl_association below (ours, or the caller's web_acl_arn); checkov does not follow the association.
  #checkov:skip=CKV2_AWS_76:Same association; our web ACL carries AWSManagedRulesKnownBadInputsRuleSet (Log4j).
  count = var.create ? 1 : 0

  name                       = local.lb_name
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.subnet_ids
  security_groups            = [aws_security_group.this[0].id]
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = var.idle_timeout

  dynamic "access_logs" {
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]

    content {
      bucket  = access_logs.value
      prefix  = local.lb_name
      enabled = true
    }
  }

  tags = var.tags
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.create && (var.web_acl_arn != null || var.waf.create) ? 1 : 0

  resource_arn = aws_lb.this[0].arn
  web_acl_arn  = local.web_acl_arn
}

resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; the hop to the task stays inside the VPC and its security groups.
  count = var.create ? 1 : 0

  name                 = local.tg_name
  port                 = var.target_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  count = var.create ? 1 : 0

  load_balancer_arn = aws_lb.this[0].arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[0].arn
  }

  tags = var.tags
}

resource "aws_lb_listener" "http" {
  count = var.create ? 1 : 0

  load_balancer_arn = aws_lb.this[0].arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}

# Paths only the VPC may see (the readiness probe names the dependencies that are down).
# The target group's health check reaches the tasks directly, not through this listener.
resource "aws_lb_listener_rule" "internal_paths" {
  count = var.create && length(var.internal_paths) > 0 ? 1 : 0

  listener_arn = aws_lb_listener.https[0].arn
  priority     = 1

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "application/json"
      message_body = jsonencode({ title = "Not Found", status = 404 })
      status_code  = "404"
    }
  }

  condition {
    path_pattern {
      values = var.internal_paths
    }
  }

  tags = var.tags
}
