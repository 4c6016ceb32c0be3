"""One sweep over the running batches that stopped moving with rows still queued.

The batch worker releases a tenant's queued rows when a job event of that tenant arrives or
a batch starts. A row whose job cannot start yet stays queued and its message is retried;
when that message ends in the dead-letter queue (or a release message is lost) and nothing
of the tenant is in flight any more, no event will ever release the row again. So a batch
is *stalled* when it is ``running``, has queued rows, and its head has not changed for
``stuck_after`` seconds (a row move or a page of rows changes it). Then:

- the tenant still has released rows in flight (in this or another running batch): left
  alone: their job events release the rest, and the job sweep sees that each job ends;
- otherwise the sweeper counts a nudge on the head (conditional on the ``updatedAt`` it
  read, so two sweepers never both act; any row move clears the count) and sends the batch
  worker ``release`` for the batch (its tenant's fair share is released again: idempotent);
- after ``max_redrives`` nudges without progress, or once the batch is older than
  ``give_up_after``, it sends ``fail_queued`` instead: the rows still queued fail with a
  reason the tenant can read, and the batch completes (BatchCompleted once).

The policy is the job sweep's (SweepPolicy); the nudge itself moves ``updatedAt``, so a
batch is nudged at most once per ``stuck_after``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import structlog

from services.common.batch import Batch, BatchStatus, ItemStatus
from services.common.batch_messages import batch_action_body
from services.common.batch_store import BatchStore
from services.common.job import iso_at
from services.common.logging import get_logger
from services.common.work_queue import WorkQueue
from services.sweeper.sweeper import SweepPolicy, age_of

__all__ = ["BatchSweep", "BatchSweepReport", "STALLED_PER_SWEEP"]

_log = get_logger(__name__)
#: The most stalled batches one sweep acts on (the rest wait for the next sweep).
STALLED_PER_SWEEP = 500


@dataclass(slots=True)
class BatchSweepReport:
    examined: int = 0
    nudged: list[str] = field(default_factory=list)  # sent ``release``
    failed: list[str] = field(default_factory=list)  # sent ``fail_queued``
    held: list[str] = field(default_factory=list)  # the tenant has rows in flight
    errors: list[str] = field(default_factory=list)  # could not be handled this time round

    def as_dict(self) -> dict[str, Any]:
        return {"examined": self.examined, "nudged": len(self.nudged), "failed": len(self.failed),
                "held": len(self.held), "errors": len(self.errors)}


class BatchSweep:
    def __init__(self, *, store: BatchStore, queue: WorkQueue, batch_queue: str, policy: SweepPolicy) -> None:
        self._store = store
        self._queue = queue
        self._batch_queue = batch_queue
        self._policy = policy

    async def sweep_once(self) -> BatchSweepReport:
        now = time.time()
        report = BatchSweepReport()
        in_flight: dict[str, int] = {}  # per tenant, read once a sweep
        stalled = await self._store.find_stalled(older_than=iso_at(now - self._policy.stuck_after),
                                                 limit=STALLED_PER_SWEEP)
        for batch in stalled:
            report.examined += 1
            with structlog.contextvars.bound_contextvars(batchId=batch.batchId, tenant=batch.tenant):
                try:
                    await self._sweep(batch, now, in_flight, report)
                except Exception:  # noqa: BLE001 - one bad batch must not stop the sweep of the others
                    _log.exception("sweep_batch_failed")
                    report.errors.append(batch.batchId)
        _log.info("batch_sweep_done", **report.as_dict())
        return report

    async def _sweep(self, batch: Batch, now: float, in_flight: dict[str, int], report: BatchSweepReport) -> None:
        if batch.tenant not in in_flight:
            in_flight[batch.tenant] = await self._tenant_in_flight(batch.tenant)
        if in_flight[batch.tenant] > 0:
            report.held.append(batch.batchId)
            return
        nudges = await self._store.note_release_nudge(batch.batchId, updated_at=batch.updatedAt)
        if nudges is None:
            return  # it moved (or another sweeper acted) since we read it
        idle, age = age_of(batch.updatedAt, now), age_of(batch.createdAt, now)
        queued = batch.counts.get(ItemStatus.QUEUED.value, 0)
        if nudges > self._policy.max_redrives or age > self._policy.give_up_after:
            await self._queue.send(self._batch_queue, batch_action_body(batch.batchId, "fail_queued"))
            _log.warning("batch_given_up", nudges=nudges - 1, queued=queued, idle_s=round(idle),
                         age_h=round(age / 3600, 1))
            report.failed.append(batch.batchId)
            return
        await self._queue.send(self._batch_queue, batch_action_body(batch.batchId, "release"))
        _log.warning("batch_nudged", nudge=nudges, queued=queued, idle_s=round(idle))
        report.nudged.append(batch.batchId)

    async def _tenant_in_flight(self, tenant: str) -> int:
        total, cursor = 0, None
        while True:
            page = await self._store.list_for_tenant(tenant, limit=100, cursor=cursor,
                                                     status=BatchStatus.RUNNING.value)
            total += sum(b.in_flight for b in page.batches)
            cursor = page.cursor
            if cursor is None:
                return total
