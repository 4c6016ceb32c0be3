"""The BatchStore port in memory, with the DynamoDB adapter's conditions."""

from __future__ import annotations

import copy
from dataclasses import fields as dataclass_fields
from typing import Any

from services.common.batch import Batch, BatchItem, BatchStatus, ItemStatus
from services.common.batch_store import BatchPage, ItemPage
from services.common.errors import DependencyUnavailableError, StoreConditionFailedError
from services.common.job import utc_now_iso

__all__ = ["InMemoryBatchStore"]

_ITEM_FIELDS = {f.name for f in dataclass_fields(BatchItem)}
_BATCH_FIELDS = {f.name for f in dataclass_fields(Batch)}


class InMemoryBatchStore:
    """``batches`` and ``rows`` hold the stored objects (a test may inspect them); answers are copies.
    ``nudges[batch_id]``: the sweeper's nudge count since the batch's last row move. Writes set
    the head's ``updatedAt`` as the table does."""

    def __init__(self) -> None:
        self.batches: dict[str, Batch] = {}
        self.rows: dict[str, dict[int, BatchItem]] = {}
        self.nudges: dict[str, int] = {}
        self.down = False

    def _check_up(self) -> None:
        if self.down:
            raise DependencyUnavailableError("batch store unavailable (fake endpoint down)")

    async def check(self) -> None:
        self._check_up()

    async def create(self, batch: Batch) -> None:
        self._check_up()
        if batch.batchId in self.batches:
            raise StoreConditionFailedError(f"batch {batch.batchId} exists")
        self.batches[batch.batchId] = copy.deepcopy(batch)
        self.rows[batch.batchId] = {}

    async def add_items(self, batch_id: str, items: list[BatchItem], *, source_cursor: str | None) -> None:
        self._check_up()
        rows, head = self.rows[batch_id], self.batches[batch_id]
        for item in items:
            if item.row not in rows:  # a page written again (after a restart) changes nothing
                rows[item.row] = copy.deepcopy(item)
                head.total += 1
                head.duplicates += item.duplicateOf is not None
                head.counts[item.status] = head.counts.get(item.status, 0) + 1
        head.sourceCursor = source_cursor
        head.updatedAt = utc_now_iso()

    async def get(self, batch_id: str) -> Batch | None:
        self._check_up()
        return copy.deepcopy(self.batches.get(batch_id))

    async def list_for_tenant(self, tenant: str, *, limit: int, cursor: str | None,
                              status: str | None = None) -> BatchPage:
        self._check_up()
        mine = sorted((b for b in self.batches.values()
                       if b.tenant == tenant and (status is None or b.status == status)),
                      key=lambda b: (b.createdAt, b.batchId), reverse=True)
        start = int(cursor) if cursor else 0
        page = mine[start:start + limit]
        more = start + limit < len(mine)
        return BatchPage(copy.deepcopy(page), str(start + limit) if more else None)

    async def items(self, batch_id: str, *, limit: int, cursor: str | None) -> ItemPage:
        self._check_up()
        ordered = [self.rows[batch_id][r] for r in sorted(self.rows.get(batch_id, {}))]
        start = int(cursor) if cursor else 0
        more = start + limit < len(ordered)
        return ItemPage(copy.deepcopy(ordered[start:start + limit]), str(start + limit) if more else None)

    async def get_item(self, batch_id: str, row: int) -> BatchItem | None:
        self._check_up()
        return copy.deepcopy(self.rows.get(batch_id, {}).get(row))

    async def items_for_job(self, batch_id: str, job_id: str) -> list[BatchItem]:
        self._check_up()
        return [copy.deepcopy(i) for _, i in sorted(self.rows.get(batch_id, {}).items()) if i.jobId == job_id]

    async def next_queued(self, batch_id: str, *, limit: int) -> list[BatchItem]:
        self._check_up()
        queued = [i for _, i in sorted(self.rows.get(batch_id, {}).items())
                  if i.status == ItemStatus.QUEUED.value and i.duplicateOf is None]
        return copy.deepcopy(queued[:limit])

    async def move_item(self, batch_id: str, row: int, *, from_: str, from_attempt: int, to: str, attempt: int,
                        fields: dict[str, Any] | None = None) -> bool:
        self._check_up()
        item = self.rows[batch_id][row]
        if item.status != from_ or item.attempt != from_attempt:
            return False
        item.status, item.attempt = to, attempt
        for name, value in (fields or {}).items():
            if name in _ITEM_FIELDS:
                setattr(item, name, copy.deepcopy(value))
        head = self.batches[batch_id]
        head.counts[from_] -= 1
        head.counts[to] = head.counts.get(to, 0) + 1
        head.updatedAt = utc_now_iso()
        self.nudges.pop(batch_id, None)  # a row moved: progress
        return True

    async def set_status(self, batch_id: str, *, to: str, from_: frozenset[str],
                         fields: dict[str, Any] | None = None) -> bool:
        self._check_up()
        head = self.batches[batch_id]
        if head.status not in from_:
            return False
        head.status, head.updatedAt = to, utc_now_iso()
        for name, value in (fields or {}).items():
            if name in _BATCH_FIELDS:
                setattr(head, name, copy.deepcopy(value))
        return True

    async def find_stalled(self, *, older_than: str, limit: int) -> list[Batch]:
        self._check_up()
        queued = {i.batchId for rows in self.rows.values() for i in rows.values()
                  if i.status == ItemStatus.QUEUED.value and i.duplicateOf is None}
        stalled = [b for b in self.batches.values()
                   if b.batchId in queued and b.status == BatchStatus.RUNNING.value and b.updatedAt < older_than]
        return copy.deepcopy(stalled[:limit])

    async def note_release_nudge(self, batch_id: str, *, updated_at: str) -> int | None:
        self._check_up()
        head = self.batches.get(batch_id)
        if head is None or head.status != BatchStatus.RUNNING.value or head.updatedAt != updated_at:
            return None
        head.updatedAt = utc_now_iso()
        self.nudges[batch_id] = self.nudges.get(batch_id, 0) + 1
        return self.nudges[batch_id]
