data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  create_service = var.create && var.create_service

  # count must be known at plan time: test whether policies are configured, never try()
  # on values that may be unknown until apply (try() of an unknown is unknown).
  scaling       = local.create_service && var.autoscaling != null
  scale_cpu     = local.scaling ? var.autoscaling.cpu_target_percent != null : false
  scale_request = local.scaling ? var.autoscaling.request_count != null : false
  scale_backlog = local.scaling ? var.autoscaling.queue_backlog != null : false

  # Traces (docs/operations.md, "Traces"): the services' OpenTelemetry SDK sends spans over
  # OTLP/HTTP to an ADOT collector in the same task (same network namespace: loopback),
  # which batches them to X-Ray. The standard OTEL_* variables are what
  # services/common/tracing.py and the OTLP exporter read.
  tracing = var.tracing != null
  tracing_environment = local.tracing ? {
    OTEL_TRACES_EXPORTER        = "otlp"
    OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:4318"
    OTEL_EXPORTER_OTLP_PROTOCOL = "http/protobuf"
    OTEL_TRACES_SAMPLER         = "parentbased_traceidratio"
    OTEL_TRACES_SAMPLER_ARG     = tostring(try(var.tracing.sample_ratio, 0))
  } : {}
  environment = merge(var.environment, local.tracing_environment)

  collector_name = "otel-collector"
  # The collector's whole configuration, passed inline (the ADOT image reads AOT_CONFIG_CONTENT):
  # OTLP/HTTP on loopback in, X-Ray out.
  collector_config = yamlencode({
    extensions = { health_check = {} }
    receivers  = { otlp = { protocols = { http = { endpoint = "127.0.0.1:4318" } } } }
    processors = { batch = { timeout = "1s" } }
    exporters  = { awsxray = { region = data.aws_region.current.id } }
    service = {
      extensions = ["health_check"]
      pipelines  = { traces = { receivers = ["otlp"], processors = ["batch"], exporters = ["awsxray"] } }
    }
  })
  collector = {
    name  = local.collector_name
    image = try(var.tracing.collector_image, "")
    # Not essential: a collector that dies costs traces, never the service's work.
    essential              = false
    readonlyRootFilesystem = true
    cpu                    = try(var.tracing.collector_cpu, 0)
    memoryReservation      = try(var.tracing.collector_memory, 0)
    environment            = [{ name = "AOT_CONFIG_CONTENT", value = local.collector_config }]
    mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    healthCheck = {
      command     = ["CMD", "/healthcheck"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 10
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = try(aws_cloudwatch_log_group.this[0].name, "")
        awslogs-region        = data.aws_region.current.id
        awslogs-stream-prefix = "${var.name}-otel"
      }
    }
  }

  container = merge(
    {
      name                   = var.name
      image                  = var.image
      essential              = true
      readonlyRootFilesystem = true
      stopTimeout            = var.stop_timeout
      environment            = [for k in sort(keys(local.environment)) : { name = k, value = local.environment[k] }]
      secrets                = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]
      # The image's exec-form entrypoint is PID 1's child under the init process, which
      # forwards SIGTERM and reaps zombies.
      linuxParameters = { initProcessEnabled = true }
      mountPoints     = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = try(aws_cloudwatch_log_group.this[0].name, "")
          awslogs-region        = data.aws_region.current.id
          awslogs-stream-prefix = var.name
        }
      }
    },
    var.container_port == null ? {} : {
      portMappings = [{ containerPort = var.container_port, protocol = "tcp" }]
    },
    # A one-shot task (no service) may go without: ECS ignores the image's HEALTHCHECK.
    var.health_check == null ? {} : {
      healthCheck = {
        command     = concat(["CMD"], var.health_check.command)
        interval    = var.health_check.interval
        timeout     = var.health_check.timeout
        retries     = var.health_check.retries
        startPeriod = var.health_check.start_period
      }
    },
    # Another program of the same image (the image's ENTRYPOINT is exec form, so a command
    # alone would only become its arguments).
    # Spans sent before the collector listens would be dropped: it starts first.
    local.tracing ? { dependsOn = [{ containerName = local.collector_name, condition = "START" }] } : {},
    var.entry_point == null ? {} : { entryPoint = var.entry_point },
    var.command == null ? {} : { command = var.command },
  )
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338:Retention is the caller's choice (log_retention_days, 30 days by default): one year of service logs costs more than it helps here.
  count = var.create ? 1 : 0

  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "task" {
  count = var.create ? 1 : 0

  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "task" {
  count = var.create ? 1 : 0

  name   = "${var.name}-task"
  role   = aws_iam_role.task[0].id
  policy = var.task_role_policy_json
}

# What the ADOT collector needs to hand traces to X-Ray (and to read its sampling rules).
data "aws_iam_policy_document" "xray" {
  #checkov:skip=CKV_AWS_356:X-Ray's trace and sampling APIs take no resource ARN; "*" is the only resource they accept.
  statement {
    sid       = "TracesToXRay"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "xray" {
  count = var.create && var.tracing != null ? 1 : 0

  name   = "${var.name}-xray"
  role   = aws_iam_role.task[0].id
  policy = data.aws_iam_policy_document.xray.json
}

resource "aws_ecs_task_definition" "this" {
  count = var.create ? 1 : 0

  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = aws_iam_role.task[0].arn
  container_definitions    = jsonencode(concat([local.container], local.tracing ? [local.collector] : []))

  # Writable scratch space under a read-only root filesystem.
  volume {
    name = "tmp"
  }

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  tags = var.tags
}

resource "aws_security_group" "this" {
  count = var.create ? 1 : 0

  name        = "${var.name}-tasks"
  description = "Tasks of ${var.name}"
  vpc_id      = var.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  count = var.create && var.load_balancer != null && var.container_port != null ? 1 : 0

  security_group_id            = aws_security_group.this[0].id
  description                  = "From the load balancer to the container port"
  referenced_security_group_id = var.load_balancer.security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = var.create ? toset([for p in var.egress_ports : tostring(p)]) : toset([])

  security_group_id = aws_security_group.this[0].id
  description       = "Outbound TCP ${each.value}"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
}

resource "aws_ecs_service" "this" {
  count = local.create_service ? 1 : 0

  name                               = var.name
  cluster                            = var.cluster.arn
  task_definition                    = aws_ecs_task_definition.this[0].arn
  desired_count                      = var.desired_count
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  propagate_tags                     = "SERVICE"
  enable_ecs_managed_tags            = true
  health_check_grace_period_seconds  = try(var.load_balancer.health_check_grace_period_seconds, null)

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this[0].id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = var.load_balancer == null ? [] : [var.load_balancer]

    content {
      target_group_arn = load_balancer.value.target_group_arn
      container_name   = var.name
      container_port   = var.container_port
    }
  }

  tags = var.tags

  lifecycle {
    # Autoscaling owns the count after the first apply.
    ignore_changes = [desired_count]

    precondition {
      condition     = var.health_check != null
      error_message = "A service needs a container health check (health_check); only a task run without a service may go without."
    }
  }
}

resource "aws_appautoscaling_target" "this" {
  count = local.scaling ? 1 : 0

  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${var.cluster.name}/${aws_ecs_service.this[0].name}"
  min_capacity       = var.autoscaling.min_capacity
  max_capacity       = var.autoscaling.max_capacity
  tags               = var.tags
}

resource "aws_appautoscaling_policy" "cpu" {
  count = local.scale_cpu ? 1 : 0

  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension
  resource_id        = aws_appautoscaling_target.this[0].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.cpu_target_percent
    scale_in_cooldown  = var.autoscaling.scale_in_cooldown
    scale_out_cooldown = var.autoscaling.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  count = local.scale_request ? 1 : 0

  name               = "${var.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension
  resource_id        = aws_appautoscaling_target.this[0].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.request_count.target_per_target
    scale_in_cooldown  = var.autoscaling.scale_in_cooldown
    scale_out_cooldown = var.autoscaling.scale_out_cooldown

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = var.autoscaling.request_count.resource_label
    }
  }
}

# Backlog per task = visible messages / running tasks, tracked to a target that is
# "messages one task clears within the acceptable latency".
resource "aws_appautoscaling_policy" "backlog" {
  count = local.scale_backlog ? 1 : 0

  name               = "${var.name}-backlog-per-task"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension
  resource_id        = aws_appautoscaling_target.this[0].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.queue_backlog.target_per_task
    scale_in_cooldown  = var.autoscaling.scale_in_cooldown
    scale_out_cooldown = var.autoscaling.scale_out_cooldown

    customized_metric_specification {
      metrics {
        id          = "visible"
        label       = "Visible messages"
        return_data = false

        metric_stat {
          stat = "Average"

          metric {
            namespace   = "AWS/SQS"
            metric_name = "ApproximateNumberOfMessagesVisible"

            dimensions {
              name  = "QueueName"
              value = var.autoscaling.queue_backlog.queue_name
            }
          }
        }
      }

      metrics {
        id          = "tasks"
        label       = "Running tasks"
        return_data = false

        metric_stat {
          stat = "Average"

          metric {
            namespace   = "ECS/ContainerInsights"
            metric_name = "RunningTaskCount"

            dimensions {
              name  = "ClusterName"
              value = var.cluster.name
            }

            dimensions {
              name  = "ServiceName"
              value = aws_ecs_service.this[0].name
            }
          }
        }
      }

      metrics {
        id          = "backlog_per_task"
        label       = "Backlog per task"
        expression  = "visible / tasks"
        return_data = true
      }
    }
  }
}
