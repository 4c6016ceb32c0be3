"""A source batch's jobs against the tenant's daily job quota, as the batch worker expands them.

The API counts a batch of items whole when it accepts it; a source's size is known only page
by page, so the worker counts each page's new jobs (rows that are no duplicate: a duplicate
shares its first row's job) on the same WindowCounter bucket as the API (``jobs:<tenant>``,
1-day windows from 00:00 UTC), against the quota the batch carries (``jobsPerDay``, set at
creation). A page that would pass the quota keeps the rows that fit; the batch stops
expanding there and says so (``sourceNote``).

Each page's count is one ``take`` with the page's token (batch id and first row, both
stable: rows are numbered from the source's cursor), so a page replayed after a crash is
answered from its first count and never counted twice. A counter outage leaves as
DependencyUnavailableError: the message is retried, no page is stored unmetered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from services.common.batch import Batch, BatchItem
from services.common.window_counter import DAY_SECONDS, WindowCounter, daily_jobs_bucket

__all__ = ["QuotaMeter", "Admitted", "quota_note", "nothing_fits_reason", "QUOTA_CODE"]

#: The error code of a source batch none of whose jobs fit under the daily quota.
QUOTA_CODE = "quota_exceeded"


def quota_note(quota: int, rows: int) -> str:
    """The head's note when the quota cut the source short after ``rows`` rows."""
    return (f"The daily quota of {quota:,} jobs was reached after {rows:,} of this source's products; "
            "the rest were not added. It resets at 00:00 UTC.")


def nothing_fits_reason(quota: int) -> str:
    return (f"The daily quota of {quota:,} jobs is used up, so none of this source's products were added. "
            "It resets at 00:00 UTC; send the batch again then, or ask for a higher quota.")


@dataclass(frozen=True, slots=True)
class Admitted:
    """The rows of a page that fit; ``cut`` when the quota left some out (the source stops there)."""

    items: list[BatchItem]
    cut: bool = False


def _first_jobs(items: list[BatchItem], jobs: int) -> list[BatchItem]:
    """The rows before the (jobs + 1)th new job: every kept duplicate names a kept row (it comes after it)."""
    seen = 0
    for index, item in enumerate(items):
        if item.duplicateOf is None:
            if seen == jobs:
                return items[:index]
            seen += 1
    return items


@dataclass
class QuotaMeter:
    counter: WindowCounter
    clock: Callable[[], float] = field(default=time.time)

    async def admit(self, batch: Batch, items: list[BatchItem], *, first_row: int) -> Admitted:
        """The page's rows that fit under the batch's quota (all of them when it has none)."""
        quota = batch.jobsPerDay or 0
        jobs = sum(1 for item in items if item.duplicateOf is None)
        if quota <= 0 or jobs == 0:
            return Admitted(items)
        taken = await self.counter.take(daily_jobs_bucket(batch.tenant), limit=quota, window_seconds=DAY_SECONDS,
                                        now=self.clock(), cost=jobs, token=f"batch:{batch.batchId}:{first_row}")
        if taken >= jobs:
            return Admitted(items)
        return Admitted(_first_jobs(items, taken), cut=True)
