"""Exact batch counts from job events that may repeat or arrive out of order.

Each item stores the last (attempt, status) it saw. An observation moves the item only when
it is newer: a later attempt, or the same attempt further along the job state order. The
store then writes the item's new status conditional on the old one, together with the
count move (old -1, new +1) in one transaction, so a repeated or stale event changes nothing
and two workers racing on one item cannot both count it.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.common.batch import FINISHED_ITEM, ItemStatus

__all__ = ["RANK", "Move", "move_for", "status_for_event"]

#: How far along an item is; equal ranks never replace each other (terminal is final per attempt).
RANK: dict[str, int] = {
    ItemStatus.QUEUED.value: 0,
    ItemStatus.PENDING.value: 1,
    ItemStatus.SCRAPING.value: 2,
    ItemStatus.REVIEW.value: 3,
    ItemStatus.SCRAPED.value: 4,
    ItemStatus.RENDERING.value: 5,
    ItemStatus.COMPLETED.value: 6,
    ItemStatus.FAILED.value: 6,
    ItemStatus.CANCELLED.value: 6,
}

# The status a job event reports (services.common.events.DetailType values).
_EVENT_STATUS = {
    "JobAccepted": ItemStatus.PENDING.value,
    "ProductScraped": ItemStatus.SCRAPED.value,
    "ProductNeedsReview": ItemStatus.REVIEW.value,
    "ProductImageGenerated": ItemStatus.COMPLETED.value,
    "JobFailed": ItemStatus.FAILED.value,
}


def status_for_event(detail_type: str) -> str | None:
    """The item status a job event means, or None for an event the batch does not follow."""
    return _EVENT_STATUS.get(detail_type)


@dataclass(frozen=True, slots=True)
class Move:
    """An item's move: write ``to``/``attempt`` only if it still shows ``from_``/``from_attempt``."""

    from_: str
    from_attempt: int
    to: str
    attempt: int

    @property
    def finishes(self) -> bool:
        """True when this move takes the item from unfinished to finished (the batch's ``done`` grows)."""
        return ItemStatus(self.to) in FINISHED_ITEM and ItemStatus(self.from_) not in FINISHED_ITEM


def move_for(current: str, current_attempt: int, observed: str, observed_attempt: int) -> Move | None:
    """The move an observation makes, or None when it is stale or repeated.

    A cancelled item (never released) has no job, so nothing moves it again. A retry of a
    failed job (a later attempt) moves a finished item back to unfinished.
    """
    if current == ItemStatus.CANCELLED.value:
        return None
    newer_attempt = observed_attempt > current_attempt
    if not newer_attempt and (observed_attempt < current_attempt or RANK[observed] <= RANK[current]):
        return None
    return Move(current, current_attempt, observed, observed_attempt)
