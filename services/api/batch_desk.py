"""Accepting, cancelling and archiving batches: the head record, the stored request and the
action for the batch worker on the ``batch-work`` queue (docs/batches.md).

The API only writes and asks; the batch worker stores the rows, releases their jobs, cancels
and builds the ZIP. Every queue send is bounded by the hand-off timeout; a batch that was
written but whose ``start`` could not be sent is failed at once (never left expanding).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from services.common.batch import TERMINAL_BATCH, Batch, BatchStatus, SourceItem, batch_request_key
from services.common.batch_messages import batch_action_body
from services.common.batch_store import BatchStore
from services.common.errors import ProductshotError
from services.common.job import utc_now_iso
from services.common.job_files import JobFiles
from services.common.logging import get_logger
from services.common.work_queue import WorkQueue

__all__ = [
    "BatchDesk",
    "BatchPlan",
    "BatchStateError",
    "BatchQueueUnavailableError",
    "ARCHIVE_RESEND_AFTER",
]

_log = get_logger(__name__)
#: A ZIP still "building" this long after it was asked for is asked for again (a lost message).
ARCHIVE_RESEND_AFTER = timedelta(minutes=10)
_RUNNING = frozenset({BatchStatus.EXPANDING.value, BatchStatus.RUNNING.value})


@dataclasses.dataclass(frozen=True, slots=True)
class BatchPlan:
    """What a validated request asks for: ``items`` (JSON or CSV) or a ``source`` spec."""

    kind: str  # items | csv | source
    metadata: dict[str, Any]
    items: list[SourceItem] = dataclasses.field(default_factory=list)
    defaults: dict[str, Any] = dataclasses.field(default_factory=dict)
    source: dict[str, Any] | None = None
    politeness: dict[str, Any] | None = None


class BatchStateError(ProductshotError):
    """The batch is not in a status that allows this (``status`` says which it is in)."""

    def __init__(self, reason: str, status: str) -> None:
        super().__init__(reason)
        self.status = status


class BatchQueueUnavailableError(ProductshotError):
    """The batch worker could not be asked (the batch-work queue did not take the message)."""


def _later(iso: str, hours: int) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")) + timedelta(hours=hours)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class BatchDesk:
    def __init__(self, *, store: BatchStore, files: JobFiles, queue: WorkQueue, batch_queue: str,
                 ttl_hours: int, handoff_timeout: float = 5.0) -> None:
        self._store = store
        self._files = files
        self._queue = queue
        self._batch_queue = batch_queue
        self._ttl_hours = ttl_hours
        self._timeout = handoff_timeout

    async def _send(self, batch_id: str, action: str) -> None:
        try:
            await asyncio.wait_for(self._queue.send(self._batch_queue, batch_action_body(batch_id, action)),
                                   self._timeout)
        except (ProductshotError, TimeoutError) as exc:
            _log.error("batch_action_not_sent", batchId=batch_id, action=action, error=str(exc) or "timeout")
            raise BatchQueueUnavailableError("the batch queue is unavailable; try again shortly") from exc

    async def create(self, tenant: str, plan: BatchPlan, *, jobs_per_day: int = 0) -> Batch:
        """Store the request (items), write the head (expanding) and ask the worker to start.

        A source batch carries ``jobs_per_day`` (the tenant's daily quota, 0: none): the worker
        counts the jobs it expands against it (a batch of items is counted by the API)."""
        batch_id = str(uuid.uuid4())
        now = utc_now_iso()
        if plan.kind == "source":
            source = dict(plan.source or {})
            if plan.defaults:  # the options every expanded row gets (the worker reads them here)
                data = json.dumps({"defaults": plan.defaults}, separators=(",", ":"), ensure_ascii=False).encode()
                await self._files.put(batch_request_key(batch_id), data, "application/json")
        else:
            request = {"items": [dataclasses.asdict(i) for i in plan.items], "defaults": plan.defaults}
            data = json.dumps(request, separators=(",", ":"), ensure_ascii=False).encode()
            await self._files.put(batch_request_key(batch_id), data, "application/json")
            source = {"type": plan.kind, "count": len(plan.items)}
        batch = Batch(batchId=batch_id, tenant=tenant, status=BatchStatus.EXPANDING.value, createdAt=now,
                      updatedAt=now, expiresAt=_later(now, self._ttl_hours), metadata=dict(plan.metadata),
                      source=source, politeness=plan.politeness or None,
                      jobsPerDay=max(0, jobs_per_day) if plan.kind == "source" else None)
        await self._store.create(batch)
        try:
            await self._send(batch_id, "start")
        except BatchQueueUnavailableError:
            error = {"code": "queue_unavailable", "reason": "The batch could not be queued; send it again."}
            batch.status, batch.error, batch.completedAt = BatchStatus.FAILED.value, error, utc_now_iso()
            try:
                await self._store.set_status(batch_id, to=batch.status, from_=frozenset({BatchStatus.EXPANDING.value}),
                                             fields={"error": error, "completedAt": batch.completedAt,
                                                     "updatedAt": batch.completedAt})
            except ProductshotError:
                _log.exception("batch_not_failed_after_queue_error", batchId=batch_id)
            raise
        _log.info("batch_accepted", batchId=batch_id, kind=plan.kind, items=len(plan.items))
        return batch

    async def _update(self, batch: Batch, fields: dict[str, Any]) -> Batch | None:
        """Write ``fields`` on the head if its status is still the one read; the new head, or None."""
        fields = {**fields, "updatedAt": utc_now_iso()}
        if not await self._store.set_status(batch.batchId, to=batch.status, from_=frozenset({batch.status}),
                                            fields=fields):
            return None
        for name, value in fields.items():
            setattr(batch, name, value)
        return batch

    async def cancel(self, batch: Batch) -> Batch:
        """Record the cancellation and ask the worker to cancel what is not released."""
        for _ in range(3):  # the status may move under us (expanding -> running); read again
            if batch.status in TERMINAL_BATCH:
                raise BatchStateError(f"The batch is already {batch.status}; there is nothing to cancel.",
                                      batch.status)
            updated = await self._update(batch, {"cancelRequestedAt": batch.cancelRequestedAt or utc_now_iso()})
            if updated is not None:
                await self._send(batch.batchId, "cancel")
                return updated
            fresh = await self._store.get(batch.batchId)
            if fresh is None:
                raise BatchStateError("The batch is gone.", "gone")
            batch = fresh
        raise BatchStateError("The batch is changing status; try again.", batch.status)

    async def archive(self, batch: Batch) -> Batch:
        """Ask for the ZIP when it is not there, failed, or lost on its way; the head as it now is."""
        if batch.status in _RUNNING:
            raise BatchStateError(f"The batch is still {batch.status}; its archive can be built once it has ended.",
                                  batch.status)
        current = batch.archive or {}
        status = current.get("status")
        if status == "ready" or (status == "building" and not _stale(current.get("requestedAt"))):
            return batch
        previous = batch.archive
        updated = await self._update(batch, {"archive": {"status": "building", "requestedAt": utc_now_iso()}})
        if updated is None:  # moved meanwhile (a terminal status moves once): show what is there now
            return await self._store.get(batch.batchId) or batch
        try:
            await self._send(batch.batchId, "archive")
        except BatchQueueUnavailableError:
            try:
                await self._update(updated, {"archive": previous})
            except ProductshotError:
                _log.exception("batch_archive_not_reset", batchId=batch.batchId)
            raise
        if status == "failed":  # this answer still reports the failure; the next GET sees the new build
            updated.archive = current
        return updated


def _stale(requested_at: Any) -> bool:
    if not isinstance(requested_at, str):
        return True
    try:
        asked = datetime.fromisoformat(requested_at.replace("Z", "+00:00"))
    except ValueError:
        return True
    return datetime.now(UTC) - asked > ARCHIVE_RESEND_AFTER
