"""The services' EMF metric lines on the local stack: names, values and dimensions per job.

Two product pages and one page without a product go through the real API, scraper and
renderer; the metric lines in their logs (read as ``make stats`` reads them) must say what
happened to each job, with values that match the job's own record.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

from localdev.stats import Sample, read_samples
from tests.integration.conftest import Services, two_products_and_a_page_without_one
from tests.integration.pages import PageServer


def _samples(pipeline: Services) -> list[Sample]:
    return [s for name in ("api", "scraper", "renderer") for s in read_samples(pipeline.log(name).splitlines())]


def _of(samples: list[Sample], name: str, job_id: str) -> list[Sample]:
    return [s for s in samples if s.name == name and s.properties.get("jobId") == job_id]


async def _wait_for_lines(pipeline: Services, name: str, job_ids: list[str], timeout: float = 15) -> list[Sample]:
    """Lines follow the job's write by a few ms (the event is published in between)."""
    deadline = time.monotonic() + timeout
    while True:
        samples = _samples(pipeline)
        if all(_of(samples, name, j) for j in job_ids) or time.monotonic() > deadline:
            return samples
        await asyncio.sleep(0.2)


async def test_a_few_jobs_leave_metric_lines_that_match_their_records(pipeline: Services, pages: PageServer,
                                                                      boto: Any) -> None:
    """Accepted, per-stage, completed/failed, time to image, queue wait, model, S3 bytes, API: all there."""
    ids, finals = await two_products_and_a_page_without_one(pipeline.api, pages)
    good, bad = ids[:2], ids[2]
    samples = await _wait_for_lines(pipeline, "JobsCompleted", good)
    samples = await _wait_for_lines(pipeline, "JobsFailed", [bad]) if not _of(samples, "JobsFailed", bad) else samples

    for job_id in ids:
        [accepted] = _of(samples, "JobsAccepted", job_id)
        assert (accepted.value, accepted.unit) == (1, "Count")
        assert accepted.dimensions == {"service": "api", "mode": "scrape"}

    for job_id in good:
        item = boto.dynamodb.get_item(TableName="productshot-jobs", Key={"jobId": {"S": job_id}})["Item"]
        stamps = {k: datetime.fromisoformat(v["S"]) for k, v in item["timestamps"]["M"].items()}
        recorded_ms = (stamps["completed"] - stamps["pending"]).total_seconds() * 1000
        [completed] = _of(samples, "JobsCompleted", job_id)
        [to_image] = _of(samples, "TimeToImage", job_id)
        assert completed.value == 1 and completed.dimensions == {"service": "renderer"}
        # Measured just after the event left, from the job's own creation time.
        assert recorded_ms <= to_image.value <= recorded_ms + 5000, (recorded_ms, to_image.value)
        scrape = [s for s in _of(samples, "StageDuration", job_id) if s.dimensions["stage"] == "scrape"]
        assert [s.dimensions for s in scrape] == [{"service": "scraper", "stage": "scrape", "outcome": "ok"}]
        [confidence] = _of(samples, "ExtractionConfidence", job_id)
        [fields] = _of(samples, "FieldsFound", job_id)
        assert 0 < confidence.value <= 1 and fields.value >= 3
        [model] = _of(samples, "ModelLatency", job_id)
        assert model.dimensions == {"service": "renderer", "model": "offline", "outcome": "ok"} and model.value > 0
        image = item["images"]["L"][0]["M"]
        written = [s for s in samples if s.name == "BytesWritten" and s.properties.get("key") == image["key"]["S"]]
        assert [(s.value, s.dimensions["kind"]) for s in written] == [(int(image["size"]["N"]), "variant")]

    [failed] = _of(samples, "JobsFailed", bad)
    # A failed job's reason is its public failure code: a closed set, so a bounded dimension.
    assert failed.dimensions == {"service": "scraper", "stage": "scrape", "reason": "no_product"}
    assert [s.dimensions["outcome"] for s in _of(samples, "StageDuration", bad)] == ["error"]
    assert not _of(samples, "JobsCompleted", bad)

    waits = [s for s in samples if s.name == "QueueWait"]
    assert {s.dimensions["queue"] for s in waits} == {"scrape-requests", "render-requests"}
    assert all(0 <= s.value < 60_000 and s.unit == "Milliseconds" for s in waits)
    api = [s for s in samples if s.name == "ApiRequests"]
    assert {s.dimensions["status"] for s in api} >= {"2xx"}
