# The services' own metrics (CloudWatch Embedded Metric Format lines in their logs,
# namespace Productshot; the catalogue is docs/operations.md#metric-catalogue): a dashboard
# and the alarms an on-call engineer acts on, each linking to its runbook section.
# tests/infra/test_metric_catalogue.py checks every metric named here is one the code emits.

locals {
  metrics_namespace = "Productshot"
  runbook           = "${var.observability.runbook_url}#"
  alarm_topic       = compact([module.alarms.topic_arn])
  consumer_of       = { for name, s in local.services : s.consumes => name if s.consumes != null }
  # Every EMF line also carries the service-only dimension set: these are the totals.
  jobs_failed = [
    ["Productshot", "JobsFailed", "service", "scraper", { id = "fs", stat = "Sum" }],
    ["Productshot", "JobsFailed", "service", "renderer", { id = "fr", stat = "Sum" }],
  ]
  dashboard_widgets = [
    { title = "Jobs per minute by outcome", stat = "Sum", period = 60, metrics = concat([
      ["Productshot", "JobsAccepted", "service", "api", { label = "accepted" }],
      ["Productshot", "JobsCompleted", "service", "renderer", { label = "completed" }]],
      [for row in local.jobs_failed : [row[0], row[1], row[2], row[3], { label = "failed (${row[3]})" }]],
    ) },
    { title = "Time to image (ms)", stat = "p50", period = 300, metrics = [
      ["Productshot", "TimeToImage", "service", "renderer", { stat = "p50", label = "p50" }],
      ["Productshot", "TimeToImage", "service", "renderer", { stat = "p95", label = "p95" }],
    ] },
    { title = "Stage latency (ms, successful attempts)", stat = "p50", period = 300, metrics = [
      ["Productshot", "StageDuration", "service", "scraper", "stage", "scrape", "outcome", "ok", { stat = "p50", label = "scrape p50" }],
      ["Productshot", "StageDuration", "service", "scraper", "stage", "scrape", "outcome", "ok", { stat = "p95", label = "scrape p95" }],
      ["Productshot", "StageDuration", "service", "renderer", "stage", "render", "outcome", "ok", { stat = "p50", label = "render p50" }],
      ["Productshot", "StageDuration", "service", "renderer", "stage", "render", "outcome", "ok", { stat = "p95", label = "render p95" }],
    ] },
    { title = "Queue wait at receive (ms, p95) and oldest message (s)", stat = "p95", period = 300, metrics = concat(
      [for k, q in local.queues : ["Productshot", "QueueWait", "service", local.consumer_of[k], "queue", q.name, { label = "wait p95 ${q.name}" }]],
      [for q in values(local.queues) : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q.name, { stat = "Maximum", label = "oldest ${q.name}" }]],
    ) },
    { title = "Dead-letter queue depth", stat = "Maximum", period = 300, metrics = [
      for q in values(local.queues) : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.dlq_name]
    ] },
    { title = "Image model: latency, errors, 429s, retries", stat = "Sum", period = 300, metrics = [
      ["Productshot", "ModelLatency", "service", "renderer", { stat = "p95", label = "latency p95 (ms)", yAxis = "right" }],
      [{ expression = "SEARCH('{Productshot,service,model,outcome} MetricName=\"ModelLatency\" outcome=\"error\"', 'SampleCount', 300)", label = "errors", id = "merr" }],
      ["Productshot", "ModelThrottles", "service", "renderer", { label = "429s" }],
      ["Productshot", "ModelRetries", "service", "renderer", { label = "retries" }],
    ] },
    { title = "Estimated model cost (USD per 5 min) and extraction confidence", stat = "Sum", period = 300, metrics = [
      ["Productshot", "EstimatedCost", "service", "renderer", { label = "model cost" }],
      ["Productshot", "ExtractionConfidence", "service", "scraper", { stat = "Average", label = "lowest fact confidence (avg)", yAxis = "right" }],
    ] },
    { title = "API answers by status", stat = "Sum", period = 60, metrics = [
      [{ expression = "SEARCH('{Productshot,service,status} MetricName=\"ApiRequests\"', 'Sum', 60)", label = "", id = "api" }],
    ] },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  count = var.observability.create_dashboard ? 1 : 0

  dashboard_name = "${var.name_prefix}productshot"
  dashboard_body = jsonencode({
    widgets = [for i, w in local.dashboard_widgets : {
      type   = "metric"
      x      = (i % 2) * 12
      y      = floor(i / 2) * 6
      width  = 12
      height = 6
      properties = {
        title   = w.title
        region  = var.aws_region
        stat    = w.stat
        period  = w.period
        view    = "timeSeries"
        metrics = w.metrics
      }
    }]
  })
}

resource "aws_cloudwatch_metric_alarm" "job_failure_rate" {
  alarm_name          = "${var.name_prefix}productshot-job-failure-rate"
  alarm_description   = "More than ${var.observability.max_failure_rate_percent}% of finished jobs failed over 15 minutes. Runbook: ${local.runbook}alarm-job-failure-rate"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.observability.max_failure_rate_percent
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topic
  ok_actions          = local.alarm_topic
  tags                = var.tags

  metric_query {
    id          = "rate"
    expression  = "IF(FILL(fs, 0) + FILL(fr, 0) + FILL(done, 0) >= ${var.observability.min_jobs_for_rate}, 100 * (FILL(fs, 0) + FILL(fr, 0)) / (FILL(fs, 0) + FILL(fr, 0) + FILL(done, 0)), 0)"
    label       = "failed jobs, percent of finished"
    return_data = true
  }
  dynamic "metric_query" {
    for_each = { fs = "scraper", fr = "renderer" }
    content {
      id = metric_query.key
      metric {
        namespace   = local.metrics_namespace
        metric_name = "JobsFailed"
        dimensions  = { service = metric_query.value }
        period      = 300
        stat        = "Sum"
      }
    }
  }
  metric_query {
    id = "done"
    metric {
      namespace   = local.metrics_namespace
      metric_name = "JobsCompleted"
      dimensions  = { service = "renderer" }
      period      = 300
      stat        = "Sum"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "time_to_image_p95" {
  alarm_name          = "${var.name_prefix}productshot-time-to-image-p95"
  alarm_description   = "p95 time from job accepted to image stored above ${var.observability.max_time_to_image_p95_seconds} s for 15 minutes. Runbook: ${local.runbook}alarm-time-to-image-p95"
  namespace           = local.metrics_namespace
  metric_name         = "TimeToImage"
  dimensions          = { service = "renderer" }
  extended_statistic  = "p95"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.observability.max_time_to_image_p95_seconds * 1000
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topic
  ok_actions          = local.alarm_topic
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "no_completed_jobs" {
  alarm_name          = "${var.name_prefix}productshot-no-completed-jobs"
  alarm_description   = "Jobs were accepted but none completed for ${var.observability.stalled_minutes} minutes. Runbook: ${local.runbook}alarm-no-completed-jobs"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topic
  ok_actions          = local.alarm_topic
  tags                = var.tags

  metric_query {
    id          = "stalled"
    expression  = "IF(FILL(accepted, 0) > 0 AND FILL(done, 0) == 0, 1, 0)"
    label       = "accepted but nothing completed"
    return_data = true
  }
  metric_query {
    id = "accepted"
    metric {
      namespace   = local.metrics_namespace
      metric_name = "JobsAccepted"
      dimensions  = { service = "api" }
      period      = var.observability.stalled_minutes * 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "done"
    metric {
      namespace   = local.metrics_namespace
      metric_name = "JobsCompleted"
      dimensions  = { service = "renderer" }
      period      = var.observability.stalled_minutes * 60
      stat        = "Sum"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "model_throttle_storm" {
  alarm_name          = "${var.name_prefix}productshot-model-429-storm"
  alarm_description   = "The image model answered 429 more than ${var.observability.max_model_429_per_5_min} times in 5 minutes, twice running. Runbook: ${local.runbook}alarm-model-429-storm"
  namespace           = local.metrics_namespace
  metric_name         = "ModelThrottles"
  dimensions          = { service = "renderer" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.observability.max_model_429_per_5_min
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topic
  ok_actions          = local.alarm_topic
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "extraction_confidence" {
  alarm_name          = "${var.name_prefix}productshot-extraction-confidence-low"
  alarm_description   = "Average lowest fact confidence of scraped products below ${var.observability.min_extraction_confidence} for 30 minutes: a shop may have changed its markup. Runbook: ${local.runbook}alarm-extraction-confidence-low"
  namespace           = local.metrics_namespace
  metric_name         = "ExtractionConfidence"
  dimensions          = { service = "scraper" }
  statistic           = "Average"
  period              = 900
  evaluation_periods  = 2
  comparison_operator = "LessThanThreshold"
  threshold           = var.observability.min_extraction_confidence
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_topic
  ok_actions          = local.alarm_topic
  tags                = var.tags
}
