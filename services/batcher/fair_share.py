"""Fair share: how many of a tenant's queued batch items may enter the pipeline now.

Single jobs go straight to the scrape queue; a tenant's batch items are released only
while the tenant has fewer than ``max_in_flight`` unfinished batch jobs (across all its
batches), round-robin over its running batches oldest first. So another tenant's single
job waits behind at most ``max_in_flight`` batch jobs per active tenant, and one huge batch
does not hold back the same tenant's next batch either.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BatchBacklog", "share_releases"]


@dataclass(frozen=True, slots=True)
class BatchBacklog:
    """One running batch of the tenant: its id and how many items still wait to be released."""

    batchId: str
    queued: int


def share_releases(backlogs: list[BatchBacklog], *, in_flight: int, max_in_flight: int) -> dict[str, int]:
    """How many items to release from each batch (batches given oldest first).

    ``in_flight`` is the tenant's unfinished released batch jobs now. The free room is dealt
    one item at a time round-robin, so each batch gets an equal share (±1) and a batch with
    less waiting gives its unused share to the others.
    """
    room = max(0, max_in_flight - in_flight)
    shares = {b.batchId: 0 for b in backlogs}
    waiting = [b for b in backlogs if b.queued > 0]
    while room > 0 and waiting:
        still: list[BatchBacklog] = []
        for backlog in waiting:
            if room == 0:
                break
            shares[backlog.batchId] += 1
            room -= 1
            if shares[backlog.batchId] < backlog.queued:
                still.append(backlog)
        waiting = still if room > 0 else []
    return {batch_id: n for batch_id, n in shares.items() if n > 0}
