"""Productshot's public events: their names, their ``detail`` and the publisher port.

Every event's ``detail`` is validated against its JSON Schema
(``services/common/event_schemas/<DetailType>/v<N>.json``) before it leaves the process,
so the schemas are the published contract and no producer can drift from them.
"""

from __future__ import annotations

import json
import uuid
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import jsonschema

from services.common.job import Job, utc_now_iso
from services.common.topology import load_topology
from services.common.tracing import TRACEPARENT, trace_headers
from services.common.url_privacy import without_query

__all__ = [
    "DetailType",
    "BATCH_EVENTS",
    "SCHEMA_VERSION",
    "SCHEMAS_DIR",
    "EventPublisher",
    "build_detail",
    "event_id_for",
    "source_for",
    "validate_detail",
]

SCHEMA_VERSION = 1
SCHEMAS_DIR = Path(__file__).resolve().parent / "event_schemas"
_EVENT_NAMESPACE = uuid.UUID("7d3c2f1e-6a1b-4f7e-9a55-70726f647368")


class DetailType(StrEnum):
    JOB_ACCEPTED = "JobAccepted"
    PRODUCT_SCRAPED = "ProductScraped"
    PRODUCT_NEEDS_REVIEW = "ProductNeedsReview"
    IMAGE_GENERATED = "ProductImageGenerated"
    JOB_FAILED = "JobFailed"
    BATCH_COMPLETED = "BatchCompleted"
    BATCH_FAILED = "BatchFailed"


#: The events about one batch (services/common/batch_events.py builds them); the others are about one job.
BATCH_EVENTS = frozenset({DetailType.BATCH_COMPLETED, DetailType.BATCH_FAILED})


# Which service emits which event (its EventBridge ``source``).
_EMITTER: dict[DetailType, str] = {
    DetailType.JOB_ACCEPTED: "api",
    DetailType.PRODUCT_SCRAPED: "scraper",
    DetailType.PRODUCT_NEEDS_REVIEW: "scraper",
    DetailType.IMAGE_GENERATED: "renderer",
    DetailType.BATCH_COMPLETED: "batcher",
    DetailType.BATCH_FAILED: "batcher",
}


def source_for(detail_type: DetailType, service: str | None = None) -> str:
    """The stable ``source`` of an event; JobFailed comes from whichever service failed it."""
    sources: dict[str, str] = load_topology()["sources"]
    return sources[_EMITTER.get(detail_type) or service or "api"]


def event_id_for(job: Job, detail_type: DetailType) -> str:
    """Deterministic per job, attempt and event: a re-publish after a retry is the same event."""
    return str(uuid.uuid5(_EVENT_NAMESPACE, f"{job.jobId}:{job.attempt}:{detail_type.value}"))


def build_detail(detail_type: DetailType, job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "schemaVersion": SCHEMA_VERSION,
        "eventId": event_id_for(job, detail_type),
        "jobId": job.jobId,
        "attempt": job.attempt,
        "tenant": job.tenant,
        "metadata": job.metadata,
        "traceId": job.traceId,
        "occurredAt": utc_now_iso(),
    }
    # EventBridge drops message attributes on the way to SQS: the next stage's parent rides here.
    parent = trace_headers().get(TRACEPARENT)
    if parent:
        detail["traceParent"] = parent
    if job.batchId is not None:
        detail["batchId"] = job.batchId  # a batch's worker follows its jobs by it (docs/batches.md)
    detail.update(_without_queries(payload))
    return detail


def _without_queries(value: Any) -> Any:
    """Every URL in the payload (productUrl, product.url, product.images ...) without query or fragment.

    Callers' URLs are often signed; subscribers see which page, never its credentials. The
    caller's ``metadata`` is not touched: it is theirs, passed through as given.
    """
    if isinstance(value, str):
        return without_query(value) if value[:8].lower().startswith(("http://", "https://")) else value
    if isinstance(value, dict):
        return {key: _without_queries(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_queries(item) for item in value]
    return value


@lru_cache(maxsize=32)
def _validator(detail_type: str, version: int) -> jsonschema.protocols.Validator:
    path = SCHEMAS_DIR / detail_type / f"v{version}.json"
    if not path.is_file():
        raise jsonschema.ValidationError(f"no published schema for {detail_type} v{version}")
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator: jsonschema.protocols.Validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return validator


def validate_detail(detail_type: str, detail: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when ``detail`` breaks its published schema."""
    _validator(detail_type, int(detail.get("schemaVersion", SCHEMA_VERSION))).validate(detail)


class EventPublisher(Protocol):
    """Publishes one event (adapter: adapters/eventbridge_publisher.py); TransientError when it could not."""

    async def publish(self, detail_type: DetailType, detail: dict[str, Any], *, source: str) -> None: ...
