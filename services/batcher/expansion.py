"""``start`` / ``continue``: a batch's rows stored page by page, then the batch runs.

Items and CSV batches: the API's ``batches/{id}/request.json`` is planned once as a whole
(duplicates across the whole request) and stored in pages of ``PAGE_ROWS``; a restart
continues after the rows already stored. Source batches: ``sources.expand`` from the head's
``sourceCursor`` for one time slice, each page planned, its new jobs counted against the
tenant's daily quota (metering.py: what does not fit is left out, the source stops there and
the head says so) and stored with the page's cursor; when the source is not exhausted the
worker sends itself ``continue``.

Job ids are derived from the batch id and the row (uuid5), so a page planned again after
a crash gives the same ids: a duplicate row stored later always names the job of its
first row, whichever run stored that one.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from services.batcher.finisher import fail_batch
from services.batcher.metering import QUOTA_CODE, Admitted, QuotaMeter, nothing_fits_reason, quota_note
from services.batcher.progress import BatchFinisher, JobStarter, cancel_queued, release_for_tenant
from services.batcher.sources import (
    ExpansionLimits,
    SourceError,
    SourceFetcher,
    SourceLimitError,
    SourceSpec,
    emitted_before,
    expand,
)
from services.common.batch import MAX_ITEMS, Batch, BatchItem, BatchStatus, batch_request_key, plan_items
from services.common.batch_messages import batch_action_body
from services.common.batch_store import BatchStore
from services.common.errors import PermanentError
from services.common.job import utc_now_iso
from services.common.job_files import JobFiles
from services.common.logging import get_logger
from services.common.work_queue import WorkQueue

__all__ = ["Expander", "PAGE_ROWS", "with_stable_job_ids", "cancel_batch"]

_log = get_logger(__name__)
PAGE_ROWS = 500
_ITEM_SOURCES = frozenset({"items", "csv"})
_JOB_IDS = uuid.UUID("3f0b6c1a-9d2e-4b7a-8c55-626174636872")
_EXPANDING = frozenset({BatchStatus.EXPANDING.value})
EMPTY_REASON = "The batch has no product to make images for: the source lists none (check its address and pattern)."


def with_stable_job_ids(items: list[BatchItem]) -> list[BatchItem]:
    """Each first row's job id from (batch, row); a duplicate takes its first row's."""
    by_row: dict[int, str] = {}
    for item in items:
        if item.duplicateOf is None:
            item.jobId = str(uuid.uuid5(_JOB_IDS, f"{item.batchId}:{item.row}"))
            by_row[item.row] = item.jobId
        else:
            item.jobId = by_row.get(item.duplicateOf, item.jobId)
    return items


def _request_of(raw: dict[str, Any]) -> dict[str, Any]:
    """A stored item (SourceItem as dict: productUrl | product, options) as job request fields."""
    request = {k: v for k, v in raw.items() if k != "options" and v is not None}
    options = raw.get("options")
    if isinstance(options, dict):
        request.update({k: v for k, v in options.items() if v is not None})
    return request


def _spec(source: dict[str, Any]) -> SourceSpec:
    url = source.get("url")
    if not isinstance(url, str) or not url:
        raise SourceError("The source has no address")
    max_items = int(source.get("maxItems") or MAX_ITEMS)
    return SourceSpec(type=str(source.get("type") or "auto"), url=url, pattern=source.get("pattern") or None,
                      max_items=max(1, min(max_items, MAX_ITEMS)))


async def cancel_batch(store: BatchStore, finisher: BatchFinisher, batch_id: str) -> Batch | None:
    """An expanding batch stops expanding and is cancelled; a running one cancels what is not released."""
    batch = await store.get(batch_id)
    if batch is None:
        return None
    if batch.status == BatchStatus.EXPANDING.value:
        now = utc_now_iso()
        if await store.set_status(batch_id, to=BatchStatus.CANCELLED.value, from_=_EXPANDING,
                                  fields={"completedAt": now, "updatedAt": now}):
            _log.info("batch_cancelled", batchId=batch_id, was="expanding")
    return await cancel_queued(store, finisher, batch_id)


@dataclass
class Expander:
    store: BatchStore
    files: JobFiles
    fetcher: SourceFetcher
    queue: WorkQueue
    queue_name: str
    finisher: BatchFinisher
    starter: JobStarter
    max_in_flight: int
    slice_seconds: float = 20.0
    limits: ExpansionLimits = ExpansionLimits()
    #: Counts a source's jobs against the tenant's daily quota (None: not counted).
    meter: QuotaMeter | None = None

    async def run(self, batch_id: str) -> None:
        batch = await self.store.get(batch_id)
        if batch is None:
            _log.info("batch_gone", batchId=batch_id)
            return
        if batch.status == BatchStatus.RUNNING.value:  # a start redelivered after the move: release again
            await release_for_tenant(self.store, self.starter, batch.tenant, max_in_flight=self.max_in_flight,
                                     finisher=self.finisher)
            return
        if batch.status != BatchStatus.EXPANDING.value:
            return
        if batch.cancelRequestedAt:
            await cancel_batch(self.store, self.finisher, batch_id)
            return
        source = batch.source or {}
        try:
            if source.get("type") in _ITEM_SOURCES:
                await self._store_request_items(batch)
            elif not await self._expand_source(batch, source):
                return
        except SourceError as exc:
            code = "source_too_large" if isinstance(exc, SourceLimitError) else "source_invalid"
            await fail_batch(self.store, self.finisher, batch_id, code, exc.reason)
            return
        await self._start_running(batch_id)

    async def _request(self, batch_id: str, *, required: bool) -> dict[str, Any]:
        data = await self.files.get(batch_request_key(batch_id))
        if data is None:
            if required:
                raise PermanentError(f"the batch's request ({batch_request_key(batch_id)}) is gone")
            return {}
        try:
            request = json.loads(data)
        except ValueError as exc:
            raise PermanentError(f"the batch's request is not JSON: {exc}") from exc
        if not isinstance(request, dict):
            raise PermanentError("the batch's request is not a JSON object")
        return request

    async def _store_request_items(self, batch: Batch) -> None:
        request = await self._request(batch.batchId, required=True)
        raw_items = request.get("items") or []
        defaults = request.get("defaults") or {}
        planned = with_stable_job_ids(plan_items(batch.batchId, [_request_of(r) for r in raw_items], defaults))
        for start in range(batch.total, len(planned), PAGE_ROWS):
            page = planned[start:start + PAGE_ROWS]
            after = start + len(page)
            await self.store.add_items(batch.batchId, page, source_cursor=str(after) if after < len(planned) else None)
        _log.info("batch_items_stored", batchId=batch.batchId, rows=len(planned), resumed_at=batch.total)

    async def _expand_source(self, batch: Batch, source: dict[str, Any]) -> bool:
        """One slice of the source; True when it is exhausted (every row stored)."""
        if batch.total > 0 and batch.sourceCursor is None:
            return True  # exhausted by an earlier run that stopped before the batch ran
        spec = _spec(source)
        defaults = (await self._request(batch.batchId, required=False)).get("defaults") or {}
        # Numbered from the cursor, not the head's total: a run that died between a page's rows
        # and its cursor numbers that page the same again (its rows, jobs and quota count once).
        first_row, started = emitted_before(batch.sourceCursor) + 1, time.monotonic()
        pages = expand(spec, self.fetcher, self.limits, batch.sourceCursor)
        try:
            async for page in pages:
                items = with_stable_job_ids(plan_items(
                    batch.batchId, [_request_of(asdict(item)) for item in page.items], defaults, first_row=first_row))
                admitted = await self.meter.admit(batch, items, first_row=first_row) if self.meter else Admitted(items)
                if admitted.cut:
                    return await self._cut_short(batch, admitted.items, first_row)
                if items or page.cursor is not None:
                    await self.store.add_items(batch.batchId, items, source_cursor=page.cursor)
                first_row += len(items)
                if page.cursor is None:
                    return True
                if time.monotonic() - started >= self.slice_seconds:
                    await self.queue.send(self.queue_name, batch_action_body(batch.batchId, "continue"))
                    _log.info("batch_expansion_continues", batchId=batch.batchId, rows=first_row - 1)
                    return False
        finally:
            await pages.aclose()
        return True

    async def _cut_short(self, batch: Batch, items: list[BatchItem], first_row: int) -> bool:
        """The daily quota ran out in this page: keep the rows that fit and stop the source, the
        note first (a crash before the rows replays this page, answered by the same count); True
        when the batch runs with what it has, False when nothing at all fitted (it failed)."""
        quota, rows = batch.jobsPerDay or 0, first_row - 1 + len(items)
        if rows == 0:
            await fail_batch(self.store, self.finisher, batch.batchId, QUOTA_CODE, nothing_fits_reason(quota))
            return False
        await self.store.set_status(batch.batchId, to=BatchStatus.EXPANDING.value, from_=_EXPANDING,
                                    fields={"sourceNote": quota_note(quota, rows), "updatedAt": utc_now_iso()})
        await self.store.add_items(batch.batchId, items, source_cursor=None)
        _log.warning("batch_source_cut_by_quota", batchId=batch.batchId, rows=rows, quota=quota)
        return True

    async def _start_running(self, batch_id: str) -> None:
        batch = await self.store.get(batch_id)
        if batch is None:
            return
        if batch.status == BatchStatus.EXPANDING.value and batch.total == 0:
            await fail_batch(self.store, self.finisher, batch_id, "source_empty", EMPTY_REASON)
            return
        if await self.store.set_status(batch_id, to=BatchStatus.RUNNING.value, from_=_EXPANDING,
                                       fields={"updatedAt": utc_now_iso()}):
            _log.info("batch_running", batchId=batch_id, total=batch.total, duplicates=batch.duplicates)
        batch = await self.store.get(batch_id)
        if batch is None:
            return
        if batch.status == BatchStatus.CANCELLED.value:  # cancelled while this run stored rows
            await cancel_queued(self.store, self.finisher, batch_id)
        elif batch.status == BatchStatus.RUNNING.value:
            await release_for_tenant(self.store, self.starter, batch.tenant, max_in_flight=self.max_in_flight,
                                     finisher=self.finisher)
