"""infra/topology.json has the shape Terraform and the bootstrap read, and its names agree.

Terraform's jsondecode accepts any JSON, so a misspelt key would only surface as a plan
error (or worse, a missing permission); this pins the shape with a JSON Schema and checks
that every queue, parameter and index a service names is declared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema

from services.common.topology import load_topology

_NAME = {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}
_NAMES = {"type": "array", "items": _NAME, "uniqueItems": True}

_SERVICE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["publishes_as", "consumes", "sends_to", "reads_parameters", "queries_indexes"],
    "properties": {
        "publishes_as": {"type": "array", "items": _NAME, "minItems": 1, "uniqueItems": True},
        "consumes": {"oneOf": [_NAME, {"type": "null"}]},
        "sends_to": _NAMES,
        "reads_parameters": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "queries_indexes": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    },
}

_QUEUE = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "visibility_timeout_seconds",
        "message_retention_seconds",
        "receive_wait_time_seconds",
        "max_receive_count",
        "dlq",
    ],
    "properties": {
        "visibility_timeout_seconds": {"type": "integer", "minimum": 0, "maximum": 43200},
        "message_retention_seconds": {"type": "integer", "minimum": 60, "maximum": 1209600},
        "receive_wait_time_seconds": {"type": "integer", "minimum": 0, "maximum": 20},
        "max_receive_count": {"type": "integer", "minimum": 1, "maximum": 1000},
        "dlq": {
            "type": "object",
            "required": ["name", "message_retention_seconds"],
            "properties": {"name": _NAME, "message_retention_seconds": {"type": "integer"}},
        },
    },
}

_TABLE: dict[str, Any] = {
    "type": "object",
    "required": ["name", "hash_key", "ttl_attribute", "attributes", "global_secondary_indexes"],
}

TOPOLOGY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "bus",
        "sources",
        "services",
        "queues",
        "rules",
        "extra_queues",
        "table",
        "batches_table",
        "bucket",
        "ssm",
        "job_ttl_hours",
    ],
    "properties": {
        "bus": {"type": "object", "required": ["name", "archive"]},
        "sources": {"type": "object", "additionalProperties": {"type": "string", "pattern": r"^productshot\.[a-z]+$"}},
        "services": {
            "type": "object",
            "required": ["api", "scraper", "renderer", "sweeper", "batcher"],
            "additionalProperties": _SERVICE,
        },
        "queues": {"type": "object", "minProperties": 1, "additionalProperties": _QUEUE},
        "rules": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["description", "event_pattern", "target_queue", "target_dlq", "retry_policy"],
            },
        },
        "extra_queues": {"type": "object"},
        "table": _TABLE,
        "batches_table": {**_TABLE, "required": [*_TABLE["required"], "range_key"]},
        "bucket": {
            "type": "object",
            "required": ["name", "lifecycle_expiration_days", "images_prefix", "batches_prefix"],
        },
        "ssm": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["name", "type"],
                "properties": {"name": {"type": "string", "pattern": "^/"}, "type": {"enum": ["SecureString"]}},
            },
        },
        "job_ttl_hours": {"type": "integer", "minimum": 1},
    },
}


def test_topology_matches_its_schema() -> None:
    """The file validates against the schema above (what Terraform's locals expect to find)."""
    jsonschema.validate(load_topology(), TOPOLOGY_SCHEMA)


def test_the_schema_rejects_a_misspelt_service_key() -> None:
    """A service entry with a typo (``send_to``) is refused, so the check can fail."""
    topo = load_topology()
    broken = {**topo, "services": {**topo["services"], "api": {**topo["services"]["api"], "send_to": []}}}
    try:
        jsonschema.validate(broken, TOPOLOGY_SCHEMA)
    except jsonschema.ValidationError as exc:
        assert "send_to" in exc.message
    else:
        raise AssertionError("a misspelt key passed the topology schema")


def test_every_name_a_service_uses_is_declared() -> None:
    """Queues, parameters, indexes and event sources named by services exist in the file."""
    topo = load_topology()
    indexes = set(topo["table"]["global_secondary_indexes"])
    for name, service in topo["services"].items():
        assert set(service["publishes_as"]) <= set(topo["sources"]), name
        if service["consumes"] is not None:
            assert service["consumes"] in topo["queues"], name
        assert set(service["sends_to"]) <= set(topo["queues"]), name
        assert set(service["reads_parameters"]) <= set(topo["ssm"]), name
        assert set(service["queries_indexes"]) <= indexes, name
    for rule in topo["rules"].values():
        assert rule["target_queue"] in topo["queues"] and rule["target_dlq"] in topo["extra_queues"]


def test_the_services_entries_match_the_code() -> None:
    """The sweeper queries the index the job store's find_unfinished uses, and each worker
    consumes the queue its settings default to."""
    from services.common.settings import CommonSettings

    topo = load_topology()["services"]
    common = CommonSettings()
    assert topo["scraper"]["consumes"] == common.scrape_queue
    assert topo["renderer"]["consumes"] == common.render_queue
    job_store_py = Path(__file__).resolve().parents[2] / "services" / "common" / "adapters" / "dynamo_job_store.py"
    job_store = job_store_py.read_text(encoding="utf-8")
    assert all(f'"{i}"' in job_store for i in topo["sweeper"]["queries_indexes"])


def test_images_expire_with_the_job_record() -> None:
    """bucket.lifecycle_expiration_days is the job TTL in whole days, rounded up (Terraform checks the same)."""
    topology = load_topology()
    hours = topology["job_ttl_hours"]
    assert topology["bucket"]["lifecycle_expiration_days"] == -(-hours // 24)
    checks = (Path(__file__).resolve().parents[2] / "infra" / "terraform" / "topology_checks.tf").read_text()
    assert "ceil(local.topology.job_ttl_hours / 24)" in checks
