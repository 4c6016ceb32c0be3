"""Batch persistence: the port the API, the batch worker and the sweeper use.

A batch is one head record (``#batch``) and one record per row (``item#00000001`` ...).
Item moves are conditional on the item's last-known (status, attempt) and change the head's
counts in the same transaction (services/batcher/counting.py says which moves are newer), so
counts stay exact under redelivery; a move also clears the head's ``releaseNudges`` (the
sweeper's count of nudges without progress, services/sweeper/batch_sweep.py). A store that cannot answer raises
``DependencyUnavailableError``.
"""

from __future__ import annotations

from typing import Any, Protocol

from services.common.batch import Batch, BatchItem

__all__ = ["BatchStore", "BatchPage", "ItemPage"]


class BatchPage:
    """One page of a tenant's batches, newest first, with an opaque cursor for the next."""

    def __init__(self, batches: list[Batch], cursor: str | None) -> None:
        self.batches = batches
        self.cursor = cursor


class ItemPage:
    """One page of a batch's rows in row order, with an opaque cursor for the next."""

    def __init__(self, items: list[BatchItem], cursor: str | None) -> None:
        self.items = items
        self.cursor = cursor


class BatchStore(Protocol):
    async def check(self) -> None:
        """Raise when the store cannot be reached (readiness)."""

    async def create(self, batch: Batch) -> None:
        """Write a new head; an existing batch id is refused (never overwritten)."""

    async def add_items(self, batch_id: str, items: list[BatchItem], *, source_cursor: str | None) -> None:
        """Store a page of rows, then the head's total/duplicates/queued count and the source
        cursor after that page (a restart continues after it; rewriting a page is harmless)."""

    async def get(self, batch_id: str) -> Batch | None: ...
    async def list_for_tenant(self, tenant: str, *, limit: int, cursor: str | None,
                              status: str | None = None) -> BatchPage: ...
    async def items(self, batch_id: str, *, limit: int, cursor: str | None) -> ItemPage: ...
    async def get_item(self, batch_id: str, row: int) -> BatchItem | None:
        """One row as it is now (a strongly consistent read), or None."""

    async def items_for_job(self, batch_id: str, job_id: str) -> list[BatchItem]:
        """The row that owns the job and its duplicates."""
        ...

    async def next_queued(self, batch_id: str, *, limit: int) -> list[BatchItem]:
        """Up to ``limit`` rows still queued and not duplicates, in row order."""
        ...

    async def move_item(self, batch_id: str, row: int, *, from_: str, from_attempt: int, to: str, attempt: int,
                        fields: dict[str, Any] | None = None) -> bool:
        """Write the row's new status/attempt (and fields) only if it still shows ``from_``/
        ``from_attempt``, moving the head's counts with it; False when the condition failed."""
        ...

    async def set_status(self, batch_id: str, *, to: str, from_: frozenset[str],
                         fields: dict[str, Any] | None = None) -> bool:
        """Move the head's status only from one of ``from_`` (a terminal move happens once)."""
        ...

    async def find_stalled(self, *, older_than: str, limit: int) -> list[Batch]:
        """Up to ``limit`` running batches that still have queued rows and whose head has not
        changed since ``older_than`` (ISO time): no row moved, nothing was added."""
        ...

    async def note_release_nudge(self, batch_id: str, *, updated_at: str) -> int | None:
        """Count a sweeper's nudge on a running batch whose head still shows ``updated_at`` (and
        touch ``updatedAt``); the count since the last row move (a move resets it), or None when
        the head changed meanwhile (someone else acted)."""
        ...
