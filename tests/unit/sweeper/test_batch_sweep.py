"""The batch sweep on the in-memory store, with the batch worker's handler answering its
messages: a stalled batch is nudged, one that stays stalled has its queued rows failed and
completes once, and batches that move, wait for rows in flight or do not run are left alone."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from services.batcher.stalled import UNSTARTED_CODE, UNSTARTED_REASON
from services.common.errors import DependencyUnavailableError
from services.sweeper.__main__ import sweep_once
from services.sweeper.batch_sweep import BatchSweep
from services.sweeper.sweeper import Sweeper, SweepPolicy
from tests.fakes import InMemoryJobStore, RecordingPublisher
from tests.unit.batcher.worker_world import QUEUE, World, message

B1 = "0d6f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
B2 = "1e7a2b3c-4d5e-4f60-9b0c-1d2e3f4a5b6c"
SHOP = "https://shop.example"
POLICY = SweepPolicy(stuck_after=60.0, max_redrives=2, give_up_after=3600.0)


def _iso(seconds_ago: float) -> str:
    moment = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def sweep(world: World, policy: SweepPolicy = POLICY) -> BatchSweep:
    return BatchSweep(store=world.store, queue=world.queue, batch_queue=QUEUE, policy=policy)


async def _stalled(world: World, batch_id: str = B1, *, idle: float = 120, age: float = 600,
                   tenant: str = "acme") -> list[str]:
    """A running batch whose second row (and its duplicate, the third) cannot start and whose
    first row completed: nothing is in flight. Its head last changed ``idle`` seconds ago."""
    world.starter.unavailable = {f"{SHOP}/p/2"}
    await world.create(batch_id, {"type": "items", "count": 3}, tenant=tenant,
                       request={"items": [{"productUrl": f"{SHOP}/p/{n}"} for n in (1, 2, 2)], "defaults": {}})
    with pytest.raises(DependencyUnavailableError):
        await world.action(batch_id, "start")
    jobs = [r.jobId for r in world.rows(batch_id)]
    with pytest.raises(DependencyUnavailableError):
        await world.job_event("ProductImageGenerated", batch_id, jobs[0], images=[])
    head = world.head(batch_id)
    head.createdAt, head.updatedAt = _iso(age), _iso(idle)
    return jobs


def _actions(world: World) -> list[tuple[str, str]]:
    return [(b["batchId"], b["action"]) for b in map(json.loads, world.queue.sent) if "action" in b]


async def _deliver(world: World) -> None:
    """The batch worker handles what waits on its queue (a failing message is left, as SQS retries it)."""
    for stored in list(world.queue.queues[QUEUE]):
        world.queue.queues[QUEUE].remove(stored)
        try:
            await world.handler.handle(message(stored.body))
        except DependencyUnavailableError:
            pass


async def test_a_stalled_batch_is_nudged_once_and_its_row_starts() -> None:
    """The worker gets ``release``; the sweep right after finds nothing (the nudge touched the
    head); once the row can start, the release starts it."""
    world = World()
    jobs = await _stalled(world)
    report = await sweep(world).sweep_once()
    assert report.as_dict() == {"examined": 1, "nudged": 1, "failed": 0, "held": 0, "errors": 0}
    assert _actions(world)[-1] == (B1, "release") and world.store.nudges[B1] == 1
    assert (await sweep(world).sweep_once()).examined == 0
    world.starter.unavailable.clear()
    await _deliver(world)
    assert [r.status for r in world.rows(B1)] == ["completed", "pending", "pending"]
    assert jobs[1] in world.starter.started and B1 not in world.store.nudges  # progress clears the count


async def test_a_batch_that_stays_stalled_has_its_queued_rows_failed_and_completes_once() -> None:
    """Each sweep nudges (the release still fails); after max_redrives nudges the sweep sends
    ``fail_queued``: the queued rows fail with the public reason, the batch completes and
    BatchCompleted is published once, even when the give-up is sent twice."""
    world = World()
    await _stalled(world)
    for nudge in (1, 2):
        report = await sweep(world).sweep_once()
        assert report.nudged == [B1] and world.store.nudges[B1] == nudge
        await _deliver(world)
        world.head(B1).updatedAt = _iso(120)  # stuck_after passes without progress
    report = await sweep(world).sweep_once()
    assert report.as_dict() == {"examined": 1, "nudged": 0, "failed": 1, "held": 0, "errors": 0}
    assert _actions(world)[-1] == (B1, "fail_queued")
    world.queue.put(world.queue.sent[-1], QUEUE)  # delivered twice
    await _deliver(world)
    rows = world.rows(B1)
    assert [r.status for r in rows] == ["completed", "failed", "failed"]
    assert {(r.errorCode, r.error) for r in rows[1:]} == {(UNSTARTED_CODE, UNSTARTED_REASON)}
    assert world.head(B1).status == "completed"
    assert [t for t, _ in world.events()] == ["BatchCompleted"]
    assert (await sweep(world).sweep_once()).examined == 0


async def test_a_batch_past_give_up_after_is_failed_at_once() -> None:
    """A stalled batch older than give_up_after gets ``fail_queued`` on the first sweep."""
    world = World()
    await _stalled(world, age=2 * 3600)
    report = await sweep(world).sweep_once()
    assert report.failed == [B1] and _actions(world)[-1] == (B1, "fail_queued")


async def test_moving_waiting_and_finished_batches_are_left_alone() -> None:
    """A batch whose head changed within stuck_after is not looked at; a stalled one whose
    tenant has rows in flight (in another batch) is held; a batch not running is not looked at."""
    world = World()
    await _stalled(world, B1, idle=10)  # moving
    await _stalled(world, B2, tenant="globex")
    world.store.rows[B2][1].status = "rendering"  # globex's first row is still in flight
    world.head(B2).counts |= {"completed": 0, "rendering": 1}
    report = await sweep(world).sweep_once()
    assert report.as_dict() == {"examined": 1, "nudged": 0, "failed": 0, "held": 1, "errors": 0}
    assert report.held == [B2] and _actions(world) == [] and not world.store.nudges
    world.head(B1).updatedAt = _iso(120)
    assert await world.store.set_status(B1, to="cancelled", from_=frozenset({"running"}))
    world.head(B1).updatedAt = _iso(120)
    assert (await sweep(world).sweep_once()).examined == 1  # B2 only, held again


async def test_two_sweepers_at_once_nudge_a_batch_once() -> None:
    """The nudge count is conditional on the head as read: the second sweeper does nothing."""
    world = World()
    await _stalled(world)
    reports = await asyncio.gather(sweep(world).sweep_once(), sweep(world).sweep_once())
    assert sum(len(r.nudged) for r in reports) == 1 and _actions(world).count((B1, "release")) == 1


async def test_the_once_summary_carries_the_batches_and_survives_a_failed_batch_sweep() -> None:
    """--once prints the jobs' counts with the batches' under "batches"; a batch store that
    cannot answer counts one error there and leaves the job sweep's summary as it was."""
    world = World()
    await _stalled(world)
    jobs = Sweeper(store=InMemoryJobStore(), publisher=RecordingPublisher(), queue=world.queue,
                   scrape_queue="scrape-requests", policy=POLICY)
    summary = await sweep_once(jobs, sweep(world))
    assert summary["examined"] == 0 and summary["batches"]["nudged"] == 1
    world.store.down = True
    summary = await sweep_once(jobs, sweep(world))
    assert summary["redriven"] == 0 and summary["batches"]["errors"] == 1
