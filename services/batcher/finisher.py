"""What happens when a batch ends: its event (BatchCompleted / BatchFailed; none when
cancelled) and its metric; and failing an expanding batch.

The head's conditional move to a terminal status happens once, so the event is published
once. The publish is retried a few times in the process: the message that ended the batch
cannot end it again, so a publish that still fails is logged (the head stays right).
"""

from __future__ import annotations

import asyncio

from services.batcher.progress import BatchFinisher, cancel_queued
from services.common.batch import Batch, BatchStatus
from services.common.batch_events import batch_event_for, build_batch_detail
from services.common.batch_store import BatchStore
from services.common.errors import TransientError
from services.common.events import EventPublisher, source_for
from services.common.job import utc_now_iso
from services.common.logging import get_logger
from services.common.metrics import Metric, emit

__all__ = ["EventBatchFinisher", "fail_batch"]

_log = get_logger(__name__)
_PUBLISH_TRIES = 4


class EventBatchFinisher:
    def __init__(self, publisher: EventPublisher, *, retry_pause: float = 0.5) -> None:
        self._publisher = publisher
        self._pause = retry_pause

    async def finished(self, batch: Batch) -> None:
        if batch.status == BatchStatus.COMPLETED.value:
            emit(Metric.BATCHES_COMPLETED, 1, properties={"batchId": batch.batchId})
        elif batch.status == BatchStatus.FAILED.value:
            emit(Metric.BATCHES_FAILED, 1, properties={"batchId": batch.batchId},
                 reason=str((batch.error or {}).get("code") or "unknown"))
        _log.info("batch_finished", batchId=batch.batchId, status=batch.status, total=batch.total)
        detail_type = batch_event_for(batch)
        if detail_type is None:
            return
        detail = build_batch_detail(detail_type, batch)
        for attempt in range(1, _PUBLISH_TRIES + 1):
            try:
                await self._publisher.publish(detail_type, detail, source=source_for(detail_type))
                return
            except TransientError as exc:
                if attempt == _PUBLISH_TRIES:
                    _log.error("batch_event_lost", batchId=batch.batchId, kind=detail_type.value, reason=exc.reason)
                    return
                await asyncio.sleep(self._pause * attempt)


async def fail_batch(store: BatchStore, finisher: BatchFinisher, batch_id: str, code: str, reason: str) -> bool:
    """Fail an expanding batch with ``{"code", "reason"}`` (once); True when this call failed it.
    Rows an earlier slice stored are cancelled first (none was released: the batch never ran)."""
    batch = await store.get(batch_id)
    if batch is None or batch.status != BatchStatus.EXPANDING.value:
        return False
    if batch.total:
        await cancel_queued(store, finisher, batch_id)
    now = utc_now_iso()
    if not await store.set_status(batch_id, to=BatchStatus.FAILED.value, from_=frozenset({BatchStatus.EXPANDING.value}),
                                  fields={"error": {"code": code, "reason": reason}, "completedAt": now,
                                          "updatedAt": now}):
        return False
    _log.warning("batch_failed", batchId=batch_id, code=code, reason=reason)
    batch = await store.get(batch_id)
    if batch is not None:
        await finisher.finished(batch)
    return True
