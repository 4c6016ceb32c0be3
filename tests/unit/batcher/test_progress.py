"""A batch followed through its jobs' events: release within fair share, exact counts,
completion announced once, cancellation of what was never released."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from services.batcher.progress import cancel_queued, follow_job_event, release_for_tenant
from services.common.batch import Batch, BatchItem, plan_items
from services.common.errors import DependencyUnavailableError
from services.common.failure_codes import SENTENCES, FailureCode
from services.common.fetching.fetch_errors import HostNotFoundError
from services.common.job import Job
from services.common.job_failures import PublicFailure, fail_job
from tests.fakes.batch_store import InMemoryBatchStore
from tests.fakes.event_publisher import RecordingPublisher
from tests.fakes.job_store import InMemoryJobStore


class _Starter:
    def __init__(self) -> None:
        self.started: list[str] = []

    async def start(self, batch: Batch, item: BatchItem) -> bool:
        self.started.append(item.jobId)
        return True


class _Finisher:
    def __init__(self) -> None:
        self.finished_batches: list[Batch] = []

    async def finished(self, batch: Batch) -> None:
        self.finished_batches.append(batch)


def _batch(batch_id: str, tenant: str, created: str) -> Batch:
    return Batch(batch_id, tenant, "running", created, created, "2099-01-01T00:00:00Z")


async def _store_with(batch_id: str, tenant: str, urls: list[str], created: str = "2026-01-01T00:00:00Z"
                      ) -> tuple[InMemoryBatchStore, list[BatchItem]]:
    store = InMemoryBatchStore()
    await store.create(_batch(batch_id, tenant, created))
    items = plan_items(batch_id, [{"productUrl": u} for u in urls], {})
    await store.add_items(batch_id, items, source_cursor=None)
    return store, items


def _event(kind: str, batch_id: str, job_id: str, attempt: int = 1, **extra: Any) -> tuple[str, dict[str, Any]]:
    return kind, {"batchId": batch_id, "jobId": job_id, "attempt": attempt, **extra}


def test_a_batch_runs_to_completed_with_exact_counts_and_one_completion() -> None:
    """Three rows (one a duplicate), events repeated and out of order: the counts end exact,
    the duplicate follows its first row, and the batch finishes once."""
    async def run() -> None:
        urls = ["https://a.example/1", "https://a.example/2", "https://A.example/1"]
        store, items = await _store_with("b1", "t1", urls)
        starter, finisher = _Starter(), _Finisher()
        assert await release_for_tenant(store, starter, "t1", max_in_flight=50) == 2
        first, second = items[0].jobId, items[1].jobId
        events = [_event("ProductImageGenerated", "b1", first, images=[{"format": "square", "key": "k"}]),
                  _event("ProductScraped", "b1", first),
                  _event("JobFailed", "b1", second, code="not_a_product_page", reason="no product"),
                  _event("ProductImageGenerated", "b1", first),
                  _event("JobFailed", "b1", second, code="x", reason="late repeat")]
        for kind, detail in events:
            await follow_job_event(store, finisher, starter, kind, detail, max_in_flight=50)
        head = store.batches["b1"]
        assert head.status == "completed"
        assert head.counts["completed"] == 2 and head.counts["failed"] == 1
        assert sum(head.counts.values()) == 3
        assert len(finisher.finished_batches) == 1
        assert store.rows["b1"][2].errorCode == "not_a_product_page"
        assert store.rows["b1"][3].status == "completed" and store.rows["b1"][3].images == [{"format": "square",
                                                                                               "key": "k"}]
    asyncio.run(run())


def test_release_stops_at_the_tenants_limit_and_continues_as_jobs_finish() -> None:
    """With room for 2, two jobs start; one finishing lets exactly one more start."""
    async def run() -> None:
        store, items = await _store_with("b1", "t1", [f"https://a.example/{n}" for n in range(5)])
        starter, finisher = _Starter(), _Finisher()
        assert await release_for_tenant(store, starter, "t1", max_in_flight=2) == 2
        assert await release_for_tenant(store, starter, "t1", max_in_flight=2) == 0
        kind, detail = _event("ProductImageGenerated", "b1", items[0].jobId)
        await follow_job_event(store, finisher, starter, kind, detail, max_in_flight=2)
        assert starter.started == [items[0].jobId, items[1].jobId, items[2].jobId]
        assert store.batches["b1"].counts["queued"] == 2
    asyncio.run(run())


def test_cancel_cancels_only_what_was_not_released() -> None:
    """Released rows keep running; queued rows become cancelled and count as done."""
    async def run() -> None:
        store, items = await _store_with("b1", "t1", [f"https://a.example/{n}" for n in range(4)])
        starter, finisher = _Starter(), _Finisher()
        await release_for_tenant(store, starter, "t1", max_in_flight=1)
        batch = await cancel_queued(store, finisher, "b1")
        assert batch is not None and batch.counts["cancelled"] == 3 and batch.counts["pending"] == 1
        assert batch.status == "running" and finisher.finished_batches == []
        kind, detail = _event("JobFailed", "b1", items[0].jobId, code="c", reason="r")
        await follow_job_event(store, finisher, starter, kind, detail, max_in_flight=1)
        assert store.batches["b1"].status == "completed" and len(finisher.finished_batches) == 1
        assert starter.started == [items[0].jobId]
    asyncio.run(run())


def test_a_tenants_two_batches_share_its_room() -> None:
    """Another batch of the same tenant gets its share instead of waiting behind the first."""
    async def run() -> None:
        store, _ = await _store_with("old", "t1", [f"https://a.example/{n}" for n in range(10)])
        await store.create(_batch("new", "t1", "2026-01-02T00:00:00Z"))
        await store.add_items("new", plan_items("new", [{"productUrl": f"https://b.example/{n}"} for n in range(10)],
                                                {}), source_cursor=None)
        await release_for_tenant(store, _Starter(), "t1", max_in_flight=4)
        assert store.batches["old"].counts["pending"] == 2 and store.batches["new"].counts["pending"] == 2
    asyncio.run(run())


def test_a_real_job_failed_event_gives_the_row_its_code_and_reason() -> None:
    """The JobFailed detail ``fail_job`` publishes (schema-validated) fills the row's error
    columns: the batch's results say why each row failed."""
    async def run() -> None:
        batch_id = "6f1c2d3e-0000-4000-8000-000000000001"
        store, items = await _store_with(batch_id, "t1", ["https://a.example/walled"])
        starter, finisher = _Starter(), _Finisher()
        await release_for_tenant(store, starter, "t1", max_in_flight=1)
        jobs = InMemoryJobStore([Job.new(ttl_hours=24, jobId=items[0].jobId, tenant="t1",
                                         productUrl=items[0].productUrl, batchId=batch_id)])
        publisher = RecordingPublisher()
        failure = PublicFailure(FailureCode.BOT_WALL, SENTENCES[FailureCode.BOT_WALL])
        assert await fail_job(jobs, publisher, job_id=items[0].jobId, attempt=1, stage="scrape",
                              failure=failure, service="scraper")
        (kind, detail, _), = publisher.events
        await follow_job_event(store, finisher, starter, kind.value, detail, max_in_flight=1)
        row = store.rows[batch_id][1]
        assert (row.status, row.errorCode, row.error) == ("failed", "bot_wall", SENTENCES[FailureCode.BOT_WALL])
    asyncio.run(run())


class _LaggingIndex(InMemoryBatchStore):
    """items_for_job answers from a stale copy (as a GSI may, or as a concurrent handler's read does)."""

    def __init__(self) -> None:
        super().__init__()
        self.stale: list[BatchItem] | None = None

    async def items_for_job(self, batch_id: str, job_id: str) -> list[BatchItem]:
        return list(self.stale) if self.stale is not None else await super().items_for_job(batch_id, job_id)


def test_an_event_whose_row_moved_meanwhile_is_applied_not_lost() -> None:
    """The completion of a job read its row as pending while the ProductScraped handler moved it
    to scraped: the refused move reads the row again and completes it (the batch finishes)."""
    async def run() -> None:
        store = _LaggingIndex()
        await store.create(_batch("b1", "t1", "2026-01-01T00:00:00Z"))
        (item,) = plan_items("b1", [{"productUrl": "https://a.example/1"}], {})
        await store.add_items("b1", [item], source_cursor=None)
        starter, finisher = _Starter(), _Finisher()
        await release_for_tenant(store, starter, "t1", max_in_flight=5)
        store.stale = await store.items_for_job("b1", item.jobId)  # read while still pending
        assert [r.status for r in store.stale] == ["pending"]
        store.stale, stale = None, store.stale
        await follow_job_event(store, finisher, starter, *_event("ProductScraped", "b1", item.jobId), max_in_flight=5)
        store.stale = stale
        await follow_job_event(store, finisher, starter, *_event("ProductImageGenerated", "b1", item.jobId,
                                                                  images=[{"format": "square", "key": "k"}]),
                               max_in_flight=5)
        assert store.rows["b1"][1].status == "completed"
        assert store.batches["b1"].status == "completed" and len(finisher.finished_batches) == 1
    asyncio.run(run())


class _PhotoGone(_Starter):
    """The second row's photo cannot be fetched for good (its host does not exist)."""

    async def start(self, batch: Batch, item: BatchItem) -> bool:
        if item.row == 2:
            raise HostNotFoundError("the photo's host photos.invalid does not exist")
        return await super().start(batch, item)


class _PhotoSlow(_Starter):
    async def start(self, batch: Batch, item: BatchItem) -> bool:
        if item.row == 1:
            raise DependencyUnavailableError("photo store unavailable")
        return await super().start(batch, item)


def test_a_row_that_can_never_start_fails_alone_and_the_others_go_on() -> None:
    """A permanent start failure fails that row with its job's code and reason; the rows after
    it still start; a batch whose last row failed so completes."""
    async def run() -> None:
        store, items = await _store_with("b1", "t1", [f"https://a.example/{n}" for n in range(3)])
        starter, finisher = _PhotoGone(), _Finisher()
        assert await release_for_tenant(store, starter, "t1", max_in_flight=10, finisher=finisher) == 2
        row = store.rows["b1"][2]
        assert (row.status, row.errorCode) == ("failed", "page_unreachable") and "photos.invalid" not in str(row.error)
        assert starter.started == [items[0].jobId, items[2].jobId]
        for job in (items[0].jobId, items[2].jobId):
            await follow_job_event(store, finisher, starter, *_event("ProductImageGenerated", "b1", job),
                                   max_in_flight=10)
        assert store.batches["b1"].status == "completed" and len(finisher.finished_batches) == 1
    asyncio.run(run())


def test_a_row_that_cannot_start_yet_stays_queued_and_the_message_is_retried() -> None:
    """A transient start failure leaves the row queued, starts the others, then raises (retry)."""
    async def run() -> None:
        store, items = await _store_with("b1", "t1", [f"https://a.example/{n}" for n in range(3)])
        starter = _PhotoSlow()
        with pytest.raises(DependencyUnavailableError):
            await release_for_tenant(store, starter, "t1", max_in_flight=10)
        assert [store.rows["b1"][r].status for r in (1, 2, 3)] == ["queued", "pending", "pending"]
    asyncio.run(run())
