"""Fair share: a tenant's batch items enter the pipeline only within its in-flight room."""

from __future__ import annotations

from services.batcher.fair_share import BatchBacklog, share_releases


def test_nothing_is_released_while_the_tenant_is_at_its_limit() -> None:
    """A tenant with max_in_flight unfinished batch jobs releases nothing more."""
    assert share_releases([BatchBacklog("a", 100)], in_flight=50, max_in_flight=50) == {}


def test_the_room_is_shared_round_robin_between_a_tenants_batches() -> None:
    """Two batches of one tenant share the free room equally, the older one first for the odd item."""
    assert share_releases([BatchBacklog("old", 100), BatchBacklog("new", 100)],
                          in_flight=45, max_in_flight=50) == {"old": 3, "new": 2}


def test_a_small_batch_gives_its_unused_share_to_the_others() -> None:
    """A batch with one item waiting takes one; the rest of the room goes to the big batch."""
    assert share_releases([BatchBacklog("small", 1), BatchBacklog("big", 100)],
                          in_flight=0, max_in_flight=10) == {"small": 1, "big": 9}


def test_never_more_than_is_waiting() -> None:
    """A batch never releases more items than it has queued."""
    assert share_releases([BatchBacklog("a", 3), BatchBacklog("b", 0)], in_flight=0, max_in_flight=50) == {"a": 3}
