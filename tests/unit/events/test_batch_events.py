"""The batch events built from a head pass their schemas; cancelled batches announce nothing."""

from __future__ import annotations

from services.common.batch import Batch
from services.common.batch_events import batch_event_for, build_batch_detail
from services.common.events import DetailType, source_for, validate_detail

_ID = "b47c4e11-6f0a-4c1e-9a53-1d0c2b7e9f10"


def _head(status: str, **fields: object) -> Batch:
    batch = Batch(_ID, "acme", status, "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z",
                  "2026-01-31T00:00:00.000Z", total=3, duplicates=1, metadata={"campaign": "x"},
                  completedAt="2026-01-01T01:00:00.000Z")
    for name, value in fields.items():
        setattr(batch, name, value)
    return batch


def test_a_completed_batch_builds_a_valid_batch_completed_with_a_stable_id() -> None:
    """BatchCompleted carries the head's numbers, every count key, and the same eventId each time."""
    batch = _head("completed", counts={"completed": 2, "failed": 1})
    assert batch_event_for(batch) is DetailType.BATCH_COMPLETED
    detail = build_batch_detail(DetailType.BATCH_COMPLETED, batch)
    validate_detail("BatchCompleted", detail)
    assert detail["counts"]["completed"] == 2 and detail["counts"]["queued"] == 0
    assert detail["eventId"] == build_batch_detail(DetailType.BATCH_COMPLETED, batch)["eventId"]
    assert source_for(DetailType.BATCH_COMPLETED) == "productshot.batcher"


def test_a_failed_batch_builds_batch_failed_with_its_error() -> None:
    """BatchFailed carries error {code, reason}."""
    batch = _head("failed", total=0, duplicates=0, error={"code": "source_empty", "reason": "No products."})
    detail = build_batch_detail(DetailType.BATCH_FAILED, batch)
    validate_detail("BatchFailed", detail)
    assert detail["error"] == {"code": "source_empty", "reason": "No products."}


def test_cancelled_and_running_batches_have_no_event() -> None:
    assert batch_event_for(_head("cancelled")) is None
    assert batch_event_for(_head("running")) is None
