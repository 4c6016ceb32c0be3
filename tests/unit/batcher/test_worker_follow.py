"""Job events drive a batch to completed (BatchCompleted once), cancel, archive, and
messages the worker cannot read."""

from __future__ import annotations

import io
import zipfile

import pytest

from services.common.errors import MalformedMessageError
from tests.unit.batcher.worker_world import World, message

B1 = "b47c4e11-6f0a-4c1e-9a53-1d0c2b7e9f10"
SHOP = "https://shop.example"


async def _running(world: World, urls: list[str]) -> list[str]:
    """A started items batch of ``urls``; its rows' job ids."""
    await world.create(B1, {"type": "items", "count": len(urls)},
                       request={"items": [{"productUrl": u} for u in urls], "defaults": {}})
    await world.action(B1, "start")
    return [r.jobId for r in world.rows(B1)]


def _images(job_id: str) -> list[dict[str, object]]:
    return [{"format": f, "key": f"jobs/{job_id}/{f}.png", "bucket": "bucket", "contentType": "image/png"}
            for f in ("square", "story")]


async def test_job_events_drive_the_batch_to_completed_with_one_batch_completed() -> None:
    """Events repeat and come out of order; with room for 2 jobs, a finished job releases the
    next row; the batch completes once, with exact counts, and announces it once."""
    world = World(max_in_flight=2)
    jobs = await _running(world, [f"{SHOP}/p/1", f"{SHOP}/p/2", f"{SHOP}/p/3", "https://SHOP.example/p/1#x"])
    assert world.starter.started == jobs[:2]
    await world.job_event("ProductImageGenerated", B1, jobs[0], images=_images(jobs[0]))
    await world.job_event("ProductScraped", B1, jobs[0])  # late, older: ignored
    assert world.starter.started == jobs[:3]
    await world.job_event("JobFailed", B1, jobs[1], code="no_product", reason="No product.")
    await world.job_event("ProductImageGenerated", B1, jobs[2], images=_images(jobs[2]))
    for _ in range(2):  # repeated deliveries of the last events
        await world.job_event("ProductImageGenerated", B1, jobs[2], images=_images(jobs[2]))
        await world.job_event("JobFailed", B1, jobs[1], code="no_product", reason="No product.")
    head = world.head(B1)
    assert head.status == "completed" and head.completedAt
    assert (head.counts["completed"], head.counts["failed"], head.done) == (3, 1, 4)
    [(kind, detail)] = world.events()
    assert kind == "BatchCompleted" and detail["counts"]["completed"] == 3 and detail["duplicates"] == 1
    assert world.rows(B1)[3].images == _images(jobs[0])  # the duplicate row has its first row's images


async def test_an_event_of_a_job_without_a_batch_changes_nothing() -> None:
    world = World()
    await world.handler.handle(message('{"detail-type": "JobAccepted", "detail": {"jobId": "j"}}'))
    assert world.events() == []


@pytest.mark.parametrize("body", ['{"hello": 1}', "[1]", '{"schemaVersion": 1, "batchId": "x", "action": "?"}'])
async def test_a_message_that_is_neither_action_nor_event_is_malformed(body: str) -> None:
    with pytest.raises(MalformedMessageError):
        await World().handler.handle(message(body))


async def test_cancel_of_a_running_batch_cancels_what_was_not_released() -> None:
    """Two rows released, two cancelled; the released jobs finish and the batch completes."""
    world = World(max_in_flight=2)
    jobs = await _running(world, [f"{SHOP}/p/{i}" for i in range(1, 5)])
    await world.action(B1, "cancel")
    head = world.head(B1)
    assert head.status == "running" and head.counts["cancelled"] == 2 and head.counts["pending"] == 2
    for job in jobs[:2]:
        await world.job_event("ProductImageGenerated", B1, job, images=_images(job))
    assert world.head(B1).status == "completed" and world.starter.started == jobs[:2]


async def test_cancel_of_an_expanding_batch_stops_it_without_an_event() -> None:
    """Cancelled while expanding: the batch is cancelled, a later start stores nothing, no event."""
    world = World()
    await world.create(B1, {"type": "items", "count": 2},
                       request={"items": [{"productUrl": f"{SHOP}/p/1"}, {"productUrl": f"{SHOP}/p/2"}]})
    await world.action(B1, "cancel")
    await world.action(B1, "start")
    head = world.head(B1)
    assert head.status == "cancelled" and head.total == 0 and head.completedAt
    assert world.events() == [] and world.starter.started == []


async def test_a_start_for_a_batch_asked_to_cancel_cancels_it() -> None:
    """DELETE set cancelRequestedAt before the start was handled: the batch never expands."""
    world = World()
    await world.create(B1, {"type": "items", "count": 1}, request={"items": [{"productUrl": f"{SHOP}/p/1"}]},
                       cancelRequestedAt="2026-01-01T00:00:01.000Z")
    await world.action(B1, "start")
    assert world.head(B1).status == "cancelled" and world.head(B1).total == 0 and world.events() == []


async def test_archive_of_a_finished_batch_holds_its_images_and_results_and_reads_ready() -> None:
    """Every completed row's images under {row:05d}-{format}.{ext}, plus results.csv; a
    gone image is counted as missing; the head says ready with key, size, count and builtAt."""
    world = World()
    jobs = await _running(world, [f"{SHOP}/p/1", f"{SHOP}/p/2", f"{SHOP}/p/3"])
    for job in jobs[:2]:
        for image in _images(job):
            await world.files.put(str(image["key"]), b"png-bytes-" + job.encode(), "image/png")
    await world.files.delete([f"jobs/{jobs[1]}/story.png"])
    for job in jobs[:2]:
        await world.job_event("ProductImageGenerated", B1, job, images=_images(job))
    await world.job_event("JobFailed", B1, jobs[2], code="no_product", reason="No product.")
    world.head(B1).archive = {"status": "building", "requestedAt": "2026-01-02T00:00:00.000Z"}
    await world.action(B1, "archive")
    archive = world.head(B1).archive
    assert archive is not None and archive["status"] == "ready"
    assert archive["key"] == f"batches/{B1}/images.zip" and archive["requestedAt"] == "2026-01-02T00:00:00.000Z"
    assert (archive["count"], archive["missing"]) == (3, 1) and archive["builtAt"]
    data = world.files.objects[archive["key"]]
    assert archive["size"] == len(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == ["00001-square.png", "00001-story.png", "00002-square.png", "results.csv"]
        results = zf.read("results.csv").decode()
    assert results.startswith("row,productUrl,jobId,status") and "no_product" in results
    assert world.head(B1).status == "completed"


async def test_archive_is_not_built_while_the_batch_runs_and_a_failed_build_says_so() -> None:
    world = World()
    await _running(world, [f"{SHOP}/p/1"])
    await world.action(B1, "archive")
    assert world.head(B1).archive is None
    world.head(B1).status = "cancelled"
    world.files.down = True
    await world.action(B1, "archive")
    assert world.head(B1).archive == {"status": "failed", "error": "The archive could not be built; ask for it again."}
