# `terraform test` with a mocked aws provider: the whole root configuration is planned and
# "applied" against generated values, so for_each/count, validations, preconditions and
# module wiring are exercised without AWS. Needs the provider plugin (terraform init).

mock_provider "aws" {
  source = "./tests"
}

variables {
  aws_region   = "eu-west-1"
  name_prefix  = "acme-prod-"
  image_tag    = "1.0.0"
  alarm_emails = ["oncall@example.com"]
  api_domain = {
    hostname        = "api.example.com"
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/test"
  }
  renderer_generator = "openai"
  tags               = { Environment = "test", Owner = "platform@example.com" }
}

run "production_defaults" {
  command = apply

  assert {
    condition     = module.queues["scrape-requests"].queue_name == "acme-prod-scrape-requests" && module.queues["render-requests"].dlq_name == "acme-prod-render-requests-dlq"
    error_message = "Queue names are the topology names with the prefix."
  }

  assert {
    condition     = aws_ecs_cluster.this.name == "acme-prod-productshot" && module.jobs_table.table_name == "acme-prod-productshot-jobs"
    error_message = "Cluster and table carry the prefix."
  }

  assert {
    condition     = alltrue([for s in values(module.services) : s.service_name != null])
    error_message = "All three services exist when create_services is true."
  }

  assert {
    condition     = length(module.event_bus.schema_arns) == length(fileset("${path.module}/../../services/common/event_schemas", "*/v*.json"))
    error_message = "Every schema file is registered."
  }

  assert {
    condition     = length(module.alarms.alarm_names) == 6
    error_message = "Three DLQ alarms, two oldest-message alarms, one 5xx alarm."
  }

  assert {
    condition     = output.ssm_parameter_names["openai_api_key"] == "/acme-prod-productshot/openai-api-key"
    error_message = "SSM names get the prefix on their first segment."
  }

  assert {
    condition = (
      aws_scheduler_schedule.sweeper[0].name == "acme-prod-productshot-sweeper" &&
      aws_scheduler_schedule.sweeper[0].state == "ENABLED" &&
      aws_scheduler_schedule.sweeper[0].schedule_expression == "rate(5 minutes)"
    )
    error_message = "The sweeper runs every 5 minutes once the services exist."
  }

  assert {
    condition     = module.sweeper.task_definition_family == "acme-prod-productshot-sweeper" && module.sweeper.service_name == null
    error_message = "The sweeper is a task definition of its own, not a service."
  }

  assert {
    condition     = aws_iam_policy.redrive_operator[0].name == "acme-prod-productshot-redrive-operator" && output.redrive_operator_policy_arn != null
    error_message = "The operators' redrive policy exists and its ARN is an output."
  }
}

run "first_apply_without_services" {
  command = apply

  variables {
    create_services = false
  }

  assert {
    condition     = alltrue([for s in values(module.services) : s.service_name == null])
    error_message = "No ECS service before the images are pushed."
  }

  assert {
    condition     = length(output.ecr_repository_urls) == 3
    error_message = "The repositories exist for the push."
  }

  assert {
    condition     = aws_scheduler_schedule.sweeper[0].state == "DISABLED"
    error_message = "The sweeper's schedule waits for the images (create_services = true)."
  }
}

run "without_sweeper_or_operator_policy" {
  command = apply

  variables {
    create_sweeper                 = false
    create_redrive_operator_policy = false
  }

  assert {
    condition     = length(aws_scheduler_schedule.sweeper) == 0 && length(aws_iam_role.sweeper_scheduler) == 0 && module.sweeper.task_definition_arn == null
    error_message = "create_sweeper = false creates no schedule, scheduler role or task definition."
  }

  assert {
    condition     = output.redrive_operator_policy_arn == null && length(aws_iam_policy.redrive_operator) == 0
    error_message = "No operator policy when it is not wanted."
  }
}

run "sweeper_on_a_cron_schedule" {
  command = plan

  variables {
    sweeper_schedule_expression = "cron(0/10 * * * ? *)"
  }

  assert {
    condition     = aws_scheduler_schedule.sweeper[0].schedule_expression == "cron(0/10 * * * ? *)"
    error_message = "A cron expression is passed through."
  }
}

run "rejects_a_bad_sweeper_schedule" {
  command = plan

  variables {
    sweeper_schedule_expression = "rate(1 minutes)"
  }

  expect_failures = [var.sweeper_schedule_expression]
}

run "local_names_with_an_empty_prefix" {
  command = apply

  variables {
    name_prefix = ""
  }

  assert {
    condition     = module.event_bus.bus_name == "productshot" && module.images_bucket.bucket_name == "productshot-images"
    error_message = "An empty prefix gives exactly the local names."
  }

  assert {
    condition     = output.ssm_parameter_names["api_keys"] == "/productshot/api-keys"
    error_message = "An empty prefix keeps the local SSM names."
  }
}

run "existing_network_and_cross_account_subscribers" {
  command = apply

  variables {
    network = {
      create_vpc = false
      existing = {
        vpc_id             = "vpc-0123456789abcdef0"
        public_subnet_ids  = ["subnet-0000000000000000a", "subnet-0000000000000000b"]
        private_subnet_ids = ["subnet-0000000000000000c", "subnet-0000000000000000d"]
      }
    }
    event_readers = {
      account_ids     = ["111122223333"]
      organization_id = "o-abcdefghij"
    }
    event_subscriptions = {
      catalogue = {
        event_pattern = "{\"detail-type\":[\"ProductImageGenerated\"]}"
        target        = { event_bus_arn = "arn:aws:events:eu-west-1:111122223333:event-bus/default" }
      }
    }
  }

  assert {
    condition     = module.event_subscriptions["catalogue"].rule_name == "acme-prod-to-catalogue" && module.event_subscriptions["catalogue"].delivery_role_arn != null
    error_message = "A bus-to-bus subscription is our rule with a delivery role."
  }

  assert {
    condition     = module.network.vpc_id == "vpc-0123456789abcdef0" && length(module.network.nat_public_ips) == 0
    error_message = "An existing network is used as given, without creating a NAT gateway."
  }
}

run "rejects_a_bad_prefix" {
  command = plan

  variables {
    name_prefix = "Acme_Prod"
  }

  expect_failures = [var.name_prefix]
}

run "rejects_latest" {
  command = plan

  variables {
    image_tag = "latest"
  }

  expect_failures = [var.image_tag]
}

run "rejects_missing_required_tags" {
  command = plan

  variables {
    tags = { Environment = "prod" }
  }

  expect_failures = [var.tags]
}

run "rejects_a_prefix_longer_than_every_name_allows" {
  command = plan

  variables {
    name_prefix = "abcdefghijklmnopqrstu-"
  }

  expect_failures = [var.name_prefix]
}
