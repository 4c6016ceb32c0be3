"""The detail of a batch's events (``BatchCompleted``, ``BatchFailed``; docs/events.md).

A batch announces its end once: the head's conditional move to a terminal status guards
it (services/batcher/progress.py). A cancelled batch announces nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from services.common.batch import COUNT_KEYS, Batch, BatchStatus
from services.common.events import SCHEMA_VERSION, DetailType
from services.common.job import utc_now_iso

__all__ = ["batch_event_for", "batch_event_id", "build_batch_detail"]

_BATCH_EVENT_NAMESPACE = uuid.UUID("5b1c0e52-4d0f-4a57-8a3e-626174636865")


def batch_event_for(batch: Batch) -> DetailType | None:
    """The event a batch that reached ``batch.status`` announces (None: cancelled, or not finished)."""
    if batch.status == BatchStatus.COMPLETED.value:
        return DetailType.BATCH_COMPLETED
    if batch.status == BatchStatus.FAILED.value:
        return DetailType.BATCH_FAILED
    return None


def batch_event_id(batch_id: str, detail_type: DetailType) -> str:
    """Deterministic per batch and event: a re-published event keeps its id (a batch ends once)."""
    return str(uuid.uuid5(_BATCH_EVENT_NAMESPACE, f"{batch_id}:{detail_type.value}"))


def build_batch_detail(detail_type: DetailType, batch: Batch) -> dict[str, Any]:
    now = utc_now_iso()
    detail: dict[str, Any] = {
        "schemaVersion": SCHEMA_VERSION,
        "eventId": batch_event_id(batch.batchId, detail_type),
        "batchId": batch.batchId,
        "tenant": batch.tenant,
        "metadata": batch.metadata,
        "occurredAt": now,
        "status": batch.status,
        "total": batch.total,
        "duplicates": batch.duplicates,
        "counts": {key: int(batch.counts.get(key, 0)) for key in COUNT_KEYS},
        "createdAt": batch.createdAt,
        "completedAt": batch.completedAt or now,
        "expiresAt": batch.expiresAt,
    }
    if detail_type is DetailType.BATCH_FAILED:
        error = batch.error or {}
        detail["error"] = {"code": str(error.get("code") or "internal_error"),
                           "reason": str(error.get("reason") or "The batch failed.")}
    return detail
