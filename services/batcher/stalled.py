"""The two batch actions the sweeper sends for a running batch that stopped moving with rows
still queued (services/sweeper/batch_sweep.py): both are safe to repeat.

- ``release``: release the tenant's queued rows now, as a job event of that tenant would
  (progress.py ``release_for_tenant``; a start that still fails raises and the message is retried);
- ``fail_queued``: the sweeper gave up: every row still queued fails with a reason its tenant
  can read, and the batch completes (BatchCompleted, once) if nothing else of it runs.
"""

from __future__ import annotations

from services.batcher.progress import BatchFinisher, JobStarter, finish_if_done, release_for_tenant
from services.common.batch import BatchStatus, ItemStatus
from services.common.batch_store import BatchStore
from services.common.failure_codes import FailureCode
from services.common.logging import get_logger

__all__ = ["UNSTARTED_CODE", "UNSTARTED_REASON", "release_batch", "fail_queued"]

_log = get_logger(__name__)

#: What a row the sweeper gave up on shows (``errorCode``, ``error``).
UNSTARTED_CODE = FailureCode.TIMED_OUT.value
UNSTARTED_REASON = "This row's job could not be started (the service kept failing); submit it again."


async def release_batch(store: BatchStore, starter: JobStarter, finisher: BatchFinisher, batch_id: str, *,
                        max_in_flight: int) -> int:
    """Release the queued rows of the batch's tenant (within its fair share); rows released."""
    batch = await store.get(batch_id)
    if batch is None or batch.status != BatchStatus.RUNNING.value:
        return 0
    released = await release_for_tenant(store, starter, batch.tenant, max_in_flight=max_in_flight, finisher=finisher)
    _log.info("batch_release_nudged", released=released)
    return released


async def fail_queued(store: BatchStore, finisher: BatchFinisher, batch_id: str) -> int:
    """Fail the batch's rows still queued (and their duplicates); the batch completes once if
    nothing else runs. How many rows this call failed."""
    batch = await store.get(batch_id)
    if batch is None or batch.status != BatchStatus.RUNNING.value:
        return 0
    fields = {"errorCode": UNSTARTED_CODE, "error": UNSTARTED_REASON}
    failed = 0
    while True:
        queued = await store.next_queued(batch_id, limit=100)
        moved = 0
        for item in queued:
            for row in await store.items_for_job(batch_id, item.jobId):
                if row.status == ItemStatus.QUEUED.value and await store.move_item(
                        batch_id, row.row, from_=ItemStatus.QUEUED.value, from_attempt=row.attempt,
                        to=ItemStatus.FAILED.value, attempt=row.attempt, fields=fields):
                    moved += 1
        failed += moved
        if not queued or not moved:
            break  # nothing left, or only rows another worker moved meanwhile (an index that lags)
    _log.warning("batch_queued_rows_failed", failed=failed)
    fresh = await store.get(batch_id)
    if fresh is not None:
        await finish_if_done(store, finisher, fresh)
    return failed
