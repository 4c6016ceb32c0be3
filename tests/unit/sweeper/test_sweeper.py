"""The sweeper's decisions on an in-memory store: hold, re-drive, fail, and act once."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.common.events import DetailType
from services.common.job import Job
from services.common.job_states import JobStatus
from services.sweeper.__main__ import main
from services.sweeper.sweeper import Sweeper, SweepPolicy
from tests.fakes import InMemoryJobStore, InMemoryWorkQueue, RecordingPublisher


def _iso(seconds_ago: float) -> str:
    moment = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def job(status: JobStatus, *, idle: float, age: float | None = None, lease_in: float | None = None) -> Job:
    j = Job.new(
        ttl_hours=1,
        status=status,
        productUrl="https://shop.example/p/1",
        product={"name": "Kettle", "price": "10.00", "currency": "USD"},
    )
    j.createdAt, j.updatedAt = _iso(age if age is not None else idle), _iso(idle)
    if lease_in is not None:
        j.leaseOwner, j.leaseExpiresAt = "worker-1", time.time() + lease_in
    return j


def sweeper(store: InMemoryJobStore, publisher: RecordingPublisher, sqs: InMemoryWorkQueue, **policy: float) -> Sweeper:
    settings = {"stuck_after": 60.0, "max_redrives": 2, "give_up_after": 3600.0, **policy}
    return Sweeper(
        store=store,
        publisher=publisher,
        queue=sqs,
        scrape_queue="scrape-requests",
        policy=SweepPolicy(**settings),  # type: ignore[arg-type]
    )


async def test_each_stuck_stage_gets_its_own_redrive() -> None:
    """pending and expired scraping re-send the scrape request; scraped and expired rendering
    re-publish ProductScraped; a live lease is held; a fresh job is not looked at."""
    jobs = {
        name: job(status, idle=120, lease_in=lease)
        for name, status, lease in [
            ("pending", JobStatus.PENDING, None),
            ("scraping", JobStatus.SCRAPING, -5),
            ("scraped", JobStatus.SCRAPED, None),
            ("rendering", JobStatus.RENDERING, -5),
            ("held", JobStatus.RENDERING, 30),
        ]
    }
    fresh = job(JobStatus.PENDING, idle=5)
    store, publisher, sqs = InMemoryJobStore([*jobs.values(), fresh]), RecordingPublisher(), InMemoryWorkQueue()
    report = await sweeper(store, publisher, sqs).sweep_once()
    assert report.as_dict() == {"examined": 5, "redriven": 4, "failed": 0, "held": 1, "errors": 0}
    assert sorted(sqs.sent) == sorted(
        f'{{"schemaVersion": 1, "jobId": "{jobs[n].jobId}", "attempt": 1}}' for n in ("pending", "scraping")
    )
    assert sorted(d["jobId"] for t, d, _ in publisher.events if t == DetailType.PRODUCT_SCRAPED) == sorted(
        jobs[n].jobId for n in ("scraped", "rendering")
    )


async def test_after_the_redrive_limit_the_job_is_failed_with_a_reason() -> None:
    """A job re-driven max_redrives times without moving is failed, and JobFailed published."""
    stuck = job(JobStatus.SCRAPED, idle=120)
    store, publisher, sqs = InMemoryJobStore([stuck]), RecordingPublisher(), InMemoryWorkQueue()
    store.redrives[stuck.jobId] = 2
    report = await sweeper(store, publisher, sqs).sweep_once()
    assert report.failed == [stuck.jobId] and stuck.status == JobStatus.FAILED
    assert stuck.error == {
        "stage": "render",
        "reason": "stuck in 'scraped' for 2 min after 2 re-drives without progress",
        "code": "timed_out",
    }
    assert [t for t, _, _ in publisher.events] == [DetailType.JOB_FAILED]


async def test_too_old_is_failed_even_when_a_worker_holds_it() -> None:
    """Past give_up_after the job is failed whatever its lease says."""
    ancient = job(JobStatus.RENDERING, idle=120, age=7200, lease_in=30)
    store, publisher, sqs = InMemoryJobStore([ancient]), RecordingPublisher(), InMemoryWorkQueue()
    report = await sweeper(store, publisher, sqs).sweep_once()
    assert report.failed == [ancient.jobId] and "past the 1.0 h limit" in (ancient.error or {})["reason"]


async def test_a_second_sweep_of_the_same_snapshot_does_nothing() -> None:
    """The re-drive is conditional on the state read, so a concurrent sweeper skips the job."""
    stuck = job(JobStatus.PENDING, idle=120)
    store, publisher, sqs = InMemoryJobStore([stuck]), RecordingPublisher(), InMemoryWorkQueue()
    stale = Job.from_item({**stuck.to_item()})  # what a second sweeper read before the first acted
    await sweeper(store, publisher, sqs).sweep_once()
    store.find_unfinished = lambda **_: _value([stale])  # type: ignore[method-assign]
    report = await sweeper(store, publisher, sqs).sweep_once()
    assert report.redriven == [] and len(sqs.sent) == 1


async def _value(value: Any) -> Any:
    return value


def _in_review(waited: float) -> Job:
    j = job(JobStatus.REVIEW, idle=waited, age=waited + 60)
    j.reviewFacts = ["price"]
    j.timestamps["review"] = _iso(waited)
    return j


async def test_a_job_in_review_waits_for_a_person_until_its_deadline() -> None:
    """Within the review deadline a job in review is held: never re-driven (no ProductScraped
    that would render uncertain facts), even past give_up_after."""
    waiting = _in_review(waited=2 * 3600)
    store, publisher, sqs = InMemoryJobStore([waiting]), RecordingPublisher(), InMemoryWorkQueue()
    report = await sweeper(store, publisher, sqs, review_deadline=3 * 3600.0).sweep_once()
    assert report.held == [waiting.jobId] and waiting.status == JobStatus.REVIEW
    assert publisher.events == [] and sqs.sent == [] and store.redrives[waiting.jobId] == 0


async def test_a_job_left_in_review_past_its_deadline_fails_with_a_readable_reason() -> None:
    """Past the review deadline the job fails at stage review, naming the facts nobody answered."""
    late = _in_review(waited=3 * 3600 + 60)
    store, publisher, sqs = InMemoryJobStore([late]), RecordingPublisher(), InMemoryWorkQueue()
    report = await sweeper(store, publisher, sqs, review_deadline=3 * 3600.0).sweep_once()
    assert report.failed == [late.jobId] and late.status == JobStatus.FAILED
    assert late.error == {
        "stage": "review",
        "reason": "nobody reviewed the uncertain facts (price) within 3 hours; "
        "retry the job, or submit the product facts yourself",
        "code": "review_expired",
    }
    [(kind, detail, _)] = publisher.events
    assert kind == DetailType.JOB_FAILED and detail["stage"] == "review"


def test_the_sweeper_refuses_a_review_deadline_past_the_job_ttl(monkeypatch: Any) -> None:
    """A deadline at or above the job TTL would let DynamoDB delete a job in review before it
    could be failed: the sweeper exits with the reason before touching AWS."""
    monkeypatch.setenv("SWEEPER_REVIEW_DEADLINE_HOURS", "24")
    monkeypatch.setenv("PRODUCTSHOT_JOB_TTL_HOURS", "24")
    with pytest.raises(SystemExit, match=r"review deadline \(24 h\) must be below the job TTL \(24 h\)"):
        asyncio.run(main(["--once"]))
