"""Following a batch: job events move its rows, finished rows make room for more, and the
batch completes exactly once (its head's conditional status move guards the event).

``release_for_tenant`` hands queued rows to ``JobStarter`` (one way to create a job: the
same code the API uses) within the tenant's fair share; ``cancel_queued`` cancels what
was never released.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from services.batcher.counting import move_for, status_for_event
from services.batcher.fair_share import BatchBacklog, share_releases
from services.common.batch import Batch, BatchItem, BatchStatus, ItemStatus
from services.common.batch_store import BatchStore
from services.common.errors import DependencyUnavailableError, PermanentError, TransientError
from services.common.job import utc_now_iso
from services.common.job_failures import public_failure

__all__ = ["JobStarter", "BatchFinisher", "follow_job_event", "release_for_tenant", "cancel_queued",
           "finish_if_done"]

_RUNNING = frozenset({BatchStatus.RUNNING.value})


class JobStarter(Protocol):
    async def start(self, batch: Batch, item: BatchItem) -> bool:
        """Create the row's job (id ``item.jobId``, ``batchId`` set) and send it on; idempotent per
        job id: True when this call created it, False when it existed already."""


class BatchFinisher(Protocol):
    async def finished(self, batch: Batch) -> None:
        """Called once when a batch reaches a terminal status (publishes BatchCompleted/BatchFailed)."""


#: A row refused a move this many times in a row (it kept moving under us): retry the message.
_MOVE_TRIES = 5


async def _move_row(store: BatchStore, row: BatchItem, to: str, attempt: int, fields: dict[str, Any] | None) -> bool:
    """Move one row to ``to``/``attempt`` if that is newer than what it shows; True when the move
    finished the row. A refused condition means the row moved meanwhile (another event of the
    same job handled at the same time, or an index read that lagged): read it again and decide
    again, so no event is lost to a race."""
    current: BatchItem | None = row
    for _ in range(_MOVE_TRIES):
        if current is None:
            return False
        move = move_for(current.status, current.attempt, to, attempt)
        if move is None:
            return False
        if await store.move_item(current.batchId, current.row, from_=move.from_, from_attempt=move.from_attempt,
                                 to=move.to, attempt=move.attempt, fields=fields):
            return move.finishes
        current = await store.get_item(row.batchId, row.row)
    raise DependencyUnavailableError(f"batch row {row.row} kept moving; the event is tried again")


async def _move_rows(store: BatchStore, rows: list[BatchItem], to: str, attempt: int,
                     fields: dict[str, Any] | None = None) -> bool:
    """Move every row of one job; True when any row finished by this call."""
    finished = False
    for row in rows:
        finished = await _move_row(store, row, to, attempt, fields) or finished
    return finished


async def follow_job_event(store: BatchStore, finisher: BatchFinisher, starter: JobStarter,
                           detail_type: str, detail: dict[str, Any], *, max_in_flight: int) -> None:
    """Apply one job event of a batch (repeats and stale ones change nothing)."""
    status, batch_id = status_for_event(detail_type), detail.get("batchId")
    if status is None or not isinstance(batch_id, str):
        return
    fields: dict[str, Any] = {}
    if status == ItemStatus.FAILED.value:
        # JobFailed carries ``code`` and ``reason`` at the top of its detail (JobFailed v1).
        fields = {"errorCode": detail.get("code"), "error": detail.get("reason")}
    elif status == ItemStatus.COMPLETED.value:
        fields = {"images": detail.get("images") or []}
    if isinstance(detail.get("product"), dict):
        fields["product"] = detail["product"]
    rows = await store.items_for_job(batch_id, str(detail.get("jobId")))
    if not await _move_rows(store, rows, status, int(detail.get("attempt", 1)), fields):
        return
    batch = await store.get(batch_id)
    if batch is None:
        return
    await finish_if_done(store, finisher, batch)
    await release_for_tenant(store, starter, batch.tenant, max_in_flight=max_in_flight, finisher=finisher)


async def finish_if_done(store: BatchStore, finisher: BatchFinisher, batch: Batch) -> bool:
    """Complete a running batch whose every row is finished; the finisher runs once."""
    if batch.status != BatchStatus.RUNNING.value or batch.done < batch.total:
        return False
    now = utc_now_iso()
    if not await store.set_status(batch.batchId, to=BatchStatus.COMPLETED.value, from_=_RUNNING,
                                  fields={"completedAt": now, "updatedAt": now}):
        return False
    done = await store.get(batch.batchId)
    if done is not None:
        await finisher.finished(done)
    return True


#: One release at a time per tenant in this process: concurrent job events of one tenant would
#: otherwise each read the same queued rows and start them again (harmless, as starting is
#: idempotent, but a multiple of the store calls). Several worker tasks still may overlap.
_RELEASING: dict[str, asyncio.Lock] = {}


async def release_for_tenant(store: BatchStore, starter: JobStarter, tenant: str, *, max_in_flight: int,
                             finisher: BatchFinisher | None = None) -> int:
    """Release queued rows of the tenant's running batches within its fair share; how many rows
    this call released."""
    lock = _RELEASING.setdefault(tenant, asyncio.Lock())
    async with lock:
        return await _release(store, starter, tenant, max_in_flight=max_in_flight, finisher=finisher)


async def _release(store: BatchStore, starter: JobStarter, tenant: str, *, max_in_flight: int,
                   finisher: BatchFinisher | None) -> int:
    running: list[Batch] = []
    cursor: str | None = None
    while True:
        page = await store.list_for_tenant(tenant, limit=100, cursor=cursor, status=BatchStatus.RUNNING.value)
        running.extend(page.batches)
        cursor = page.cursor
        if cursor is None:
            break
    running.sort(key=lambda b: b.createdAt)  # oldest first gets the odd item
    in_flight = sum(b.in_flight for b in running)
    shares = share_releases([BatchBacklog(b.batchId, b.counts.get(ItemStatus.QUEUED.value, 0)) for b in running],
                            in_flight=in_flight, max_in_flight=max_in_flight)
    started = 0
    unstarted: TransientError | None = None
    failed_in: dict[str, None] = {}
    for batch in running:
        for item in await store.next_queued(batch.batchId, limit=shares.get(batch.batchId, 0)):
            # The job exists before the row says so: a crash between leaves a queued row whose
            # start is retried (idempotent per job id), never a row pointing at no job.
            try:
                await starter.start(batch, item)
            except PermanentError as exc:
                # A row that can never start (its photo is gone, its facts refused) fails on its
                # own, with the reason its job would have had; the tenant's other rows go on.
                failure = public_failure(exc)
                fields = {"errorCode": failure.code.value, "error": failure.reason}
                for row in await store.items_for_job(batch.batchId, item.jobId):
                    await _move_row(store, row, ItemStatus.FAILED.value, 1, fields)
                failed_in[batch.batchId] = None
                continue
            except TransientError as exc:
                unstarted = unstarted or exc  # the others first; the message is retried after
                continue
            if await store.move_item(batch.batchId, item.row, from_=ItemStatus.QUEUED.value, from_attempt=item.attempt,
                                     to=ItemStatus.PENDING.value, attempt=1):
                started += 1
                for duplicate in await store.items_for_job(batch.batchId, item.jobId):
                    if duplicate.row != item.row:
                        await _move_row(store, duplicate, ItemStatus.PENDING.value, 1, None)
    for batch_id in failed_in:
        fresh = await store.get(batch_id)
        if fresh is not None and finisher is not None:
            await finish_if_done(store, finisher, fresh)
    if unstarted is not None:
        raise unstarted
    return started


async def cancel_queued(store: BatchStore, finisher: BatchFinisher, batch_id: str) -> Batch | None:
    """Cancel every row not yet released; the batch completes now if nothing else runs."""
    while True:
        queued = await store.next_queued(batch_id, limit=100)
        if not queued:
            break
        for item in queued:
            await _move_rows(store, await store.items_for_job(batch_id, item.jobId), ItemStatus.CANCELLED.value, 0)
    batch = await store.get(batch_id)
    if batch is not None and batch.status == BatchStatus.RUNNING.value and batch.done >= batch.total:
        if await store.set_status(batch_id, to=BatchStatus.CANCELLED.value, from_=_RUNNING,
                                  fields={"completedAt": utc_now_iso()}):
            batch = await store.get(batch_id)
            if batch is not None:
                await finisher.finished(batch)
    return batch
