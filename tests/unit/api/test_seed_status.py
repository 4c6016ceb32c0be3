"""The seed's status answers, field for field and type for type, as its README documents them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from services.api.app import create_app
from services.common.job import ImageRecord, Job, epoch_seconds
from services.common.job_states import JobStatus
from services.common.settings import CommonSettings
from tests.contracts.seed_status import assert_seed_shape
from tests.fakes import InMemoryJobStore
from tests.unit.api.fakes import fake_state

ACME = {"Authorization": "Bearer acme-key"}
@pytest.fixture
def parts() -> Iterator[tuple[TestClient, InMemoryJobStore]]:
    state, store, _sqs, _publisher = fake_state()
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        yield client, store


def _job(store: InMemoryJobStore, status: JobStatus, **fields: Any) -> Job:
    job = Job.new(ttl_hours=1, status=status, tenant="acme", productUrl="https://shop.example.com/p/1", **fields)
    job.createdAt = "2025-01-31T12:00:00.250Z"
    job.timestamps = {"pending": job.createdAt, status.value: "2025-01-31T12:00:42.900Z"}
    store.jobs[job.jobId] = job
    return job


@pytest.mark.parametrize("status, seed", [(JobStatus.PENDING, "pending"), (JobStatus.SCRAPING, "processing"),
                                          (JobStatus.SCRAPED, "processing"), (JobStatus.RENDERING, "processing")])
def test_unfinished_jobs_answer_the_seed_shape_with_created_at_in_epoch_seconds(
    parts: tuple[TestClient, InMemoryJobStore], status: JobStatus, seed: str
) -> None:
    """pending is {jobId, status, createdAt}; processing adds the seed's message."""
    client, store = parts
    job = _job(store, status)
    body = client.get(f"/generative-ai-images/status/{job.jobId}", headers=ACME).json()
    assert_seed_shape(body, seed)
    assert body["status"] == seed and body["createdAt"] == 1738324800
    if seed == "processing":
        assert body["message"] == "Image generation in progress"


def test_a_completed_job_answers_epoch_timestamps_and_a_file_named_after_the_job(
    parts: tuple[TestClient, InMemoryJobStore]
) -> None:
    """completedAt and urlExpiresAt are numbers a client can compare with Date.now() / 1000."""
    client, store = parts
    job = _job(store, JobStatus.COMPLETED, overlayText="Acme — Kettle — $49.99 — -20%")
    job.images = [ImageRecord(format="square", key=f"jobs/{job.jobId}/1/square.jpg", bucket="b",
                              contentType="image/jpeg", width=1080, height=1080, size=10, output="jpeg")]
    before = time.time()
    body = client.get(f"/generative-ai-images/status/{job.jobId}", headers=ACME).json()
    assert_seed_shape(body, "completed")
    assert body["completedAt"] == 1738324842
    assert before + 900 - 2 <= body["urlExpiresAt"] <= time.time() + 900 + 1
    assert body["fileName"] == f"{job.jobId}.jpg"
    assert body["contentType"] == "image/jpeg" and body["overlayText"].startswith("Acme")


def test_a_failed_job_answers_failed_at_and_the_reason(parts: tuple[TestClient, InMemoryJobStore]) -> None:
    """failed is {jobId, status, createdAt, failedAt, error, errorCode, traceId}."""
    client, store = parts
    error = {"stage": "scrape", "reason": "the page answered 404", "code": "page_blocked"}
    job = _job(store, JobStatus.FAILED, error=error)
    body = client.get(f"/generative-ai-images/status/{job.jobId}", headers=ACME).json()
    assert_seed_shape(body, "failed")
    assert body["failedAt"] == 1738324842 and body["error"] == "the page answered 404"
    assert (body["errorCode"], body["traceId"]) == ("page_blocked", job.traceId)


def test_a_record_without_the_status_timestamp_falls_back_to_its_last_update(
    parts: tuple[TestClient, InMemoryJobStore]
) -> None:
    """Older records kept no per-status time: the last update stands in, still a number."""
    client, store = parts
    job = _job(store, JobStatus.FAILED, error={"stage": "render", "reason": "x" * 12})
    job.timestamps = {}
    job.updatedAt = "2025-01-31T13:00:00Z"
    body = client.get(f"/generative-ai-images/status/{job.jobId}", headers=ACME).json()
    assert body["failedAt"] == epoch_seconds("2025-01-31T13:00:00Z") == 1738328400


def test_a_deeply_nested_body_is_a_400_with_the_bad_body_message(parts: tuple[TestClient, InMemoryJobStore]) -> None:
    """JSON nested past the parser's recursion limit is bad input, not a 500."""
    client, _store = parts
    nested = b"[" * 30_000 + b"]" * 30_000  # 60 KB: under the 64 KB cap, past the recursion limit
    resp = client.post("/generative-ai-images/generate", content=nested,
                       headers={"content-type": "application/json", **ACME})
    assert resp.status_code == 400
    assert resp.json() == {"message": 'Request body must be JSON like {"productUrl": "https://..."}'}


def test_epoch_seconds_reads_z_offsets_and_naive_times_as_utc() -> None:
    """The one conversion the seed view relies on."""
    assert epoch_seconds("1970-01-01T00:00:10.999Z") == 10
    assert epoch_seconds("1970-01-01T01:00:00+01:00") == 0
    assert epoch_seconds("1970-01-01T00:01:00") == 60
