"""The offline schema checker (infra/schema): resource, data source and provider blocks.

Each test writes a small configuration to a temporary directory and runs the checker
over it, so every failure class is shown both to fire and to stay quiet on valid HCL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.schema.schema_rules import load_schema
from tests.infra.schema_snippets import run

GOOD = """
resource "aws_sqs_queue" "jobs" {
  count                      = 1
  name                       = "jobs"
  visibility_timeout_seconds = 180
  tags                       = { Team = "x" }
  timeouts {
    create = "5m"
  }
  lifecycle {
    prevent_destroy = true
  }
  depends_on = [aws_sqs_queue.dlq]
}

resource "aws_sqs_queue" "dlq" {
  name = "dlq"
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = "arn"
  port              = 443
  default_action {
    type = "forward"
    forward {
      target_group {
        arn = "arn"
      }
    }
  }
}

resource "aws_ecs_task_definition" "api" {
  family                = "api"
  container_definitions = jsonencode([{ name = "api" }])
  dynamic "volume" {
    for_each = ["tmp"]
    content {
      name = volume.value
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "images" {
  bucket = "b"
  rule {
    id     = "expire"
    status = "Enabled"
    expiration {
      days = 30
    }
  }
}

resource "aws_security_group" "sg" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "terraform_data" "marker" {
  input = "x"
}

data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Application = "x" }
  }
}

check "queue" {
  data "aws_sqs_queue" "jobs" {
    name = "jobs"
  }
  assert {
    condition     = data.aws_sqs_queue.jobs.arn != ""
    error_message = "no queue"
  }
}
"""


def test_a_valid_configuration_has_no_findings(tmp_path: Path) -> None:
    """Blocks, dynamic blocks, meta-arguments, timeouts, attributes-as-blocks, check-scoped data: all accepted."""
    assert run(tmp_path, {"main.tf": GOOD}) == []


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ('resource "aws_sqs_qeueu" "q" {}', "aws_sqs_qeueu.q: unknown resource type 'aws_sqs_qeueu'"),
        ('data "aws_no_such_thing" "d" {}', "data.aws_no_such_thing.d: unknown data source"),
        (
            'resource "aws_sqs_queue" "q" {\n  visibility = 30\n}',
            "main.tf:2: aws_sqs_queue.q.visibility: unknown argument",
        ),
        (
            'resource "aws_lb_listener" "l" {\n  load_balancer_arn = "a"\n  default_action {\n    type = "forward"\n'
            '    forward {\n      target_group {\n        arn    = "a"\n        weihgt = 1\n      }\n    }\n  }\n}',
            "main.tf:8: aws_lb_listener.l.default_action.forward.target_group.weihgt: unknown argument",
        ),
        ('resource "aws_sqs_queue" "q" {\n  redrive {\n  }\n}', "main.tf:2: aws_sqs_queue.q.redrive: unknown block"),
        ('resource "aws_sqs_queue" "q" {\n  arn = "x"\n}', "aws_sqs_queue.q.arn: computed-only attribute"),
        (
            'resource "aws_lb_listener" "l" {\n  default_action {\n    type = "forward"\n  }\n}',
            "aws_lb_listener.l: missing required argument 'load_balancer_arn'",
        ),
        (
            'resource "aws_lb_listener" "l" {\n  load_balancer_arn = "a"\n  default_action {\n  }\n}',
            "main.tf:3: aws_lb_listener.l.default_action: missing required argument 'type'",
        ),
        (
            'resource "aws_lb_listener" "l" {\n  load_balancer_arn = "a"\n}',
            "aws_lb_listener.l: missing required block 'default_action'",
        ),
        (
            'resource "aws_ecs_task_definition" "t" {\n  family = "f"\n  container_definitions {\n  }\n}',
            "aws_ecs_task_definition.t.container_definitions: 'container_definitions' is an attribute: write",
        ),
        (
            'resource "aws_lb_listener" "l" {\n  load_balancer_arn = "a"\n  default_action = [{ type = "forward" }]\n}',
            "aws_lb_listener.l.default_action: 'default_action' is a block",
        ),
        (
            'data "aws_iam_policy_document" "p" {\n  statement = [{ actions = ["s3:*"] }]\n}',
            "data.aws_iam_policy_document.p.statement: 'statement' is a block",
        ),
        (
            'resource "aws_s3_bucket_lifecycle_configuration" "c" {\n  bucket = "b"\n'
            '  rule = [{ id = "x", status = "Enabled" }]\n}',
            "aws_s3_bucket_lifecycle_configuration.c.rule: 'rule' is a block",
        ),
        (
            'resource "aws_sqs_queue" "q" {\n  timeouts {\n  }\n  timeouts {\n  }\n}',
            "main.tf:4: aws_sqs_queue.q.timeouts: at most one",
        ),
        (
            'resource "aws_sqs_queue" "q" {\n  dynamic "redrive" {\n    for_each = []\n    content {\n    }\n  }\n}',
            "aws_sqs_queue.q.redrive: unknown block",
        ),
        (
            'resource "aws_ecs_task_definition" "t" {\n  family = "f"\n  container_definitions = "[]"\n'
            '  dynamic "volume" {\n'
            '    for_each = ["a"]\n    content {\n      nmae = "a"\n    }\n  }\n}',
            "main.tf:7: aws_ecs_task_definition.t.volume.nmae: unknown argument",
        ),
        ('provider "aws" {\n  regoin = "eu-west-1"\n}', "main.tf:2: provider.aws.regoin: unknown argument"),
    ],
    ids=[
        "unknown-resource",
        "unknown-data-source",
        "unknown-argument",
        "unknown-argument-deep",
        "unknown-block",
        "computed-only",
        "missing-required",
        "missing-required-nested",
        "missing-required-block",
        "attribute-as-block",
        "block-as-attribute",
        "policy-statement-as-attribute",
        "lifecycle-rule-as-attribute",
        "single-block-twice",
        "dynamic-unknown",
        "dynamic-content-unknown-argument",
        "provider-unknown-argument",
    ],
)
def test_schema_violations_are_reported_with_file_line_and_address(tmp_path: Path, snippet: str, expected: str) -> None:
    """Each class of schema error yields a finding naming file, line, block address and problem."""
    found = run(tmp_path, {"main.tf": snippet + "\n"})
    assert any(expected in f for f in found), found


def test_a_dynamic_block_satisfies_a_required_block(tmp_path: Path) -> None:
    """dynamic "default_action" counts as the required default_action block."""
    snippet = (
        'resource "aws_lb_listener" "l" {\n  load_balancer_arn = "a"\n  dynamic "default_action" {\n'
        '    for_each = ["forward"]\n    content {\n      type = default_action.value\n    }\n  }\n}\n'
    )
    assert run(tmp_path, {"main.tf": snippet}) == []


def test_the_schema_tells_blocks_from_attributes_in_known_cases() -> None:
    """Known provider facts survive the build: string attributes, list blocks, required nesting, computed-only."""
    schema = load_schema()
    resources, data = schema["resources"], schema["data_sources"]
    assert resources["aws_ecs_task_definition"]["attributes"]["container_definitions"] == "required"
    assert resources["aws_lb_listener"]["blocks"]["default_action"]["nesting"] == "list"
    assert resources["aws_lb_listener"]["blocks"]["default_action"]["min"] == 1
    assert "rule" in resources["aws_s3_bucket_lifecycle_configuration"]["blocks"]
    assert "statement" in data["aws_iam_policy_document"]["blocks"]
    assert resources["aws_sqs_queue"]["attributes"]["arn"] == "computed"
    assert resources["aws_sqs_queue"]["blocks"]["timeouts"]["nesting"] == "single"
    assert "aws_wafv2_web_acl_association" in resources  # its config struct is renamed in the bindings
    assert len(resources) > 1500 and len(data) > 600
