locals {
  topic_arn = try([aws_sns_topic.this[0].arn], [])
}

resource "aws_sns_topic" "this" {
  count = var.create ? 1 : 0

  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each = var.create ? toset(var.email_subscriptions) : toset([])

  topic_arn = aws_sns_topic.this[0].arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  for_each = var.create ? toset(var.dead_letter_queue_names) : toset([])

  alarm_name          = "${each.value}-not-empty"
  alarm_description   = "Messages in the dead-letter queue ${each.value}: inspect them, fix the cause, redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.topic_arn
  ok_actions          = local.topic_arn
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "oldest_message" {
  for_each = var.create ? var.oldest_message_age : {}

  alarm_name          = "${each.key}-oldest-message-age"
  alarm_description   = "The oldest message in ${each.key} waited more than ${each.value} s: consumers are down or too few."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = each.key }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.topic_arn
  ok_actions          = local.topic_arn
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "http_5xx_rate" {
  count = var.create && var.load_balancer != null ? 1 : 0

  alarm_name          = "${var.name}-api-5xx-rate"
  alarm_description   = "More than ${var.load_balancer.max_5xx_rate_percent}% of API requests answered 5xx."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.load_balancer.max_5xx_rate_percent
  evaluation_periods  = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.topic_arn
  ok_actions          = local.topic_arn
  tags                = var.tags

  metric_query {
    id          = "rate"
    label       = "5xx rate (%)"
    expression  = "IF(requests >= ${var.load_balancer.min_requests_per_5_min}, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.load_balancer.arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "target5xx"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.load_balancer.arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "elb5xx"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.load_balancer.arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }
}
