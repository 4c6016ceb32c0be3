"""The sweeper's two actions on a stalled batch: ``release`` retries its queued rows, and
``fail_queued`` fails them and lets the batch complete (BatchCompleted once)."""

from __future__ import annotations

import pytest

from services.batcher.stalled import UNSTARTED_CODE, UNSTARTED_REASON
from services.common.errors import DependencyUnavailableError
from tests.unit.batcher.worker_world import World

B1 = "5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
SHOP = "https://shop.example"


async def _stalled(world: World) -> list[str]:
    """A running batch of three rows (the third a duplicate of the second) whose second row's
    job cannot start; the first row completed. Its rows' job ids."""
    world.starter.unavailable = {f"{SHOP}/p/2"}
    await world.create(B1, {"type": "items", "count": 3},
                       request={"items": [{"productUrl": f"{SHOP}/p/{n}"} for n in (1, 2, 2)], "defaults": {}})
    with pytest.raises(DependencyUnavailableError):
        await world.action(B1, "start")
    jobs = [r.jobId for r in world.rows(B1)]
    with pytest.raises(DependencyUnavailableError):  # its event releases again: still failing
        await world.job_event("ProductImageGenerated", B1, jobs[0], images=[])
    return jobs


async def test_release_starts_a_row_whose_start_failed_before() -> None:
    """The row stays queued after its failed start; once its job can start, ``release`` starts it."""
    world = World()
    jobs = await _stalled(world)
    assert [r.status for r in world.rows(B1)] == ["completed", "queued", "queued"]
    with pytest.raises(DependencyUnavailableError):  # still failing: the message is retried
        await world.action(B1, "release")
    world.starter.unavailable.clear()
    await world.action(B1, "release")
    assert world.starter.started[-1] == jobs[1]
    assert [r.status for r in world.rows(B1)] == ["completed", "pending", "pending"]
    assert world.head(B1).status == "running" and world.events() == []


async def test_fail_queued_fails_the_waiting_rows_and_completes_the_batch_once() -> None:
    """Both queued rows (the row and its duplicate) fail with the public reason; the batch
    completes with one BatchCompleted; the action again changes nothing."""
    world = World()
    await _stalled(world)
    await world.action(B1, "fail_queued")
    await world.action(B1, "fail_queued")
    rows = world.rows(B1)
    assert [r.status for r in rows] == ["completed", "failed", "failed"]
    assert {(r.errorCode, r.error) for r in rows[1:]} == {(UNSTARTED_CODE, UNSTARTED_REASON)}
    head = world.head(B1)
    assert head.status == "completed" and (head.counts["failed"], head.counts["queued"]) == (2, 0)
    assert [t for t, _ in world.events()] == ["BatchCompleted"]


async def test_the_actions_leave_a_batch_that_is_not_running_alone() -> None:
    """On a cancelled batch, or one that does not exist, both actions do nothing."""
    world = World()
    await _stalled(world)
    assert await world.store.set_status(B1, to="cancelled", from_=frozenset({"running"}))
    await world.action(B1, "release")
    await world.action(B1, "fail_queued")
    await world.action("00000000-0000-4000-8000-000000000000", "fail_queued")
    assert [r.status for r in world.rows(B1)] == ["completed", "queued", "queued"]
    assert world.events() == []
