"""A batch row's job is created by the API's own submitter, carrying the batch's id,
politeness and lifetime, and a repeated start creates nothing new."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from services.batcher.job_starter import BatchJobStarter
from services.common.batch import Batch, plan_items
from services.common.job import Job
from services.common.job_submitter import JobSubmitter
from tests.fakes.event_publisher import RecordingPublisher
from tests.fakes.job_store import InMemoryJobStore
from tests.fakes.work_queue import InMemoryWorkQueue


class _Photos:
    async def keep(self, job_id: str, product: dict[str, Any]) -> str | None:
        return f"jobs/{job_id}/source.jpg"


def _batch() -> Batch:
    return Batch("7a0c4d3e-8f5b-4c1d-9e2a-3b4c5d6e7f80", "t1", "running", "2026-01-01T00:00:00Z",
                 "2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z",
                 politeness={"maxInFlightPerHost": 2, "requestsPerSecondPerHost": 1.0})


def test_a_url_row_becomes_a_batch_job_with_politeness_on_its_scrape_request() -> None:
    """The job has the row's id, the batch id, the batch lifetime; the message carries politeness;
    its JobAccepted event carries the batch id; starting twice creates one job and one message."""
    async def run() -> None:
        jobs, queue, publisher = InMemoryJobStore(), InMemoryWorkQueue(), RecordingPublisher()
        submitter = JobSubmitter(store=jobs, publisher=publisher, queue=queue, scrape_queue="scrape-requests",
                                 ttl_hours=24)
        starter = BatchJobStarter(jobs=jobs, submitter=submitter, photos=_Photos(), ttl_hours=30 * 24)
        batch = _batch()
        (item,) = plan_items(batch.batchId, [{"productUrl": "https://a.example/p/1"}], {"formats": ["story"]})
        await starter.start(batch, item)
        await starter.start(batch, item)
        await submitter.aclose()
        job = jobs.jobs[item.jobId]
        assert job.batchId == batch.batchId and job.options.formats == ["story"]
        assert job.expiresAt > time.time() + 29 * 86400
        (body,) = queue.sent
        assert json.loads(body)["politeness"] == {"maxInFlightPerHost": 2, "requestsPerSecondPerHost": 1.0}
        (accepted,) = publisher.events
        assert accepted[1]["batchId"] == batch.batchId
    asyncio.run(run())


def test_a_product_row_keeps_its_photo_and_goes_to_the_renderer() -> None:
    """A product-facts row is created scraped with its stored photo and the batch id."""
    async def run() -> None:
        jobs, queue, publisher = InMemoryJobStore(), InMemoryWorkQueue(), RecordingPublisher()
        submitter = JobSubmitter(store=jobs, publisher=publisher, queue=queue, scrape_queue="scrape-requests",
                                 ttl_hours=24)
        starter = BatchJobStarter(jobs=jobs, submitter=submitter, photos=_Photos(), ttl_hours=24)
        batch = _batch()
        product = {"name": "Kettle", "price": "19.99", "currency": "EUR", "imageUrl": "https://a.example/k.jpg"}
        (item,) = plan_items(batch.batchId, [{"product": product}], {})
        await starter.start(batch, item)
        await submitter.aclose()
        job = jobs.jobs[item.jobId]
        assert job.status.value == "scraped" and job.batchId == batch.batchId
        assert job.sourceImageKey == f"jobs/{item.jobId}/source.jpg"
        assert queue.sent == []
        assert {e[1]["batchId"] for e in publisher.events} == {batch.batchId}
    asyncio.run(run())


class _SlowReads(InMemoryJobStore):
    """Reads that yield first: two starters both read "no job" before either writes."""

    async def get(self, job_id: str) -> Job | None:
        await asyncio.sleep(0)
        return await super().get(job_id)


def test_two_workers_starting_the_same_row_at_once_make_one_job_and_no_error() -> None:
    """Both read "no job yet"; the second create finds the id taken and leaves the job to the
    first (one job, one scrape message, nothing retried)."""
    async def run() -> None:
        jobs, queue, publisher = _SlowReads(), InMemoryWorkQueue(), RecordingPublisher()
        submitter = JobSubmitter(store=jobs, publisher=publisher, queue=queue, scrape_queue="scrape-requests",
                                 ttl_hours=24)
        starter = BatchJobStarter(jobs=jobs, submitter=submitter, photos=_Photos(), ttl_hours=24)
        batch = _batch()
        (item,) = plan_items(batch.batchId, [{"productUrl": "https://a.example/p/1"}], {})
        await asyncio.gather(starter.start(batch, item), starter.start(batch, item))
        await submitter.aclose()
        assert list(jobs.jobs) == [item.jobId] and len(queue.sent) == 1 and len(publisher.events) == 1
    asyncio.run(run())
