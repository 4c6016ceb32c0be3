"""API-only processes on the local AWS, with the settings each group of tests needs.

The shared fixtures (aws_env, boto, pages, start_services, service_env) come from
tests/integration/conftest.py; these start the API alone (no scraper, no renderer), so
queued work stays in the queues where the tests can look at it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

import boto3
import httpx
import pytest

from services.common.job import ImageRecord, Job
from services.common.job_states import JobStatus
from tests.integration.conftest import Services, log_dir_for, purge_queues, service_env, start_services

KEY = "itest-key"  # bootstrapped by aws_env as tenant "itest"
AUTH = {"Authorization": f"Bearer {KEY}"}
TABLE, BUCKET = "productshot-jobs", "productshot-images"
pytestmark = pytest.mark.integration


def _api(
    aws_env: dict[str, str], tmp: Any, request: pytest.FixtureRequest, name: str, **env: str
) -> Services:
    base = service_env(aws_env, tmp, API_RATE_LIMIT_PER_SECOND="1000", API_RATE_LIMIT_BURST="1000")
    return start_services({**base, **env}, log_dir_for(request) / name, names=("api",))


@pytest.fixture(scope="module")
def api(
    aws_env: dict[str, str],
    boto: Any,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[Services]:
    """One API process with generous rate limits and CORS for https://app.example."""
    purge_queues(boto.sqs)
    # Event streams of jobs that never move here (no scraper) end after 2 s: the fuzzer reads them whole.
    services = _api(
        aws_env, tmp_path_factory.mktemp("api"), request, "api", API_CORS_ORIGINS="https://app.example",
        API_EVENTS_MAX_SECONDS="2",
    )
    yield services
    services.stop("api")


@pytest.fixture(scope="module")
def broken_api(
    aws_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Services]:
    """An API whose scrape queue does not exist and whose EventBridge is unreachable: every hand-off fails."""
    services = _api(
        aws_env,
        tmp_path_factory.mktemp("broken"),
        request,
        "broken",
        PRODUCTSHOT_SCRAPE_QUEUE="no-such-queue",
        # Nothing listens on port 9: every PutEvents fails like an EventBridge outage.
        AWS_ENDPOINT_URL_EVENTBRIDGE="http://127.0.0.1:9",
        API_HANDOFF_TIMEOUT="1",
    )
    yield services
    services.stop("api")


@pytest.fixture(scope="module")
def limited_api(
    aws_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Services]:
    """An API allowing a burst of 3 requests per key, refilled at one every 5 s."""
    services = _api(
        aws_env,
        tmp_path_factory.mktemp("limited"),
        request,
        "limited",
        API_RATE_LIMIT_PER_SECOND="0.2",
        API_RATE_LIMIT_BURST="3",
    )
    yield services
    services.stop("api")


@pytest.fixture
async def client(api: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api.api, headers=AUTH, timeout=20) as http:
        yield http


def put_job(boto: Any, job: Job) -> None:
    """Write a job straight into the table (states the API cannot reach on its own)."""
    table = boto3.resource("dynamodb").Table(TABLE)
    table.put_item(Item=json.loads(json.dumps(job.to_item()), parse_float=Decimal))


def stored_job(
    *,
    tenant: str = "itest",
    status: JobStatus = JobStatus.FAILED,
    product: bool = False,
    images: int = 0,
    boto: Any = None,
) -> Job:
    """A job in ``status``; with ``images`` JPEG objects uploaded under its prefix."""
    job_id = str(uuid.uuid4())
    kwargs: dict[str, Any] = (
        {"product": {"name": "Desk Lamp", "price": "49.00", "currency": "EUR"}}
        if product
        else {"productUrl": "https://shop.example.com/p/lamp"}
    )
    job = Job.new(ttl_hours=1, status=status, tenant=tenant, jobId=job_id, **kwargs)
    if status == JobStatus.FAILED:
        job.error = {"stage": "scrape", "reason": "the page could not be fetched"}
    for i in range(images):
        key = f"jobs/{job_id}/1/square-{i}.jpg"
        boto.s3.put_object(
            Bucket=BUCKET,
            Key=key,
            Body=b"\xff\xd8 jpeg " + bytes([i]),
            ContentType="image/jpeg",
            ServerSideEncryption="AES256",
        )
        job.images.append(
            ImageRecord(
                format="square",
                key=key,
                bucket=BUCKET,
                contentType="image/jpeg",
                width=1080,
                height=1080,
                size=8,
                output="jpeg",
            )
        )
    put_job(boto, job)
    return job


def scrape_messages(boto: Any, job_id: str) -> list[dict[str, Any]]:
    """Scrape requests for ``job_id`` in the queue: the whole queue is read, then made visible again."""
    url = boto.sqs.get_queue_url(QueueName="scrape-requests")["QueueUrl"]
    found, held = [], []
    for _ in range(50):
        batch = boto.sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=30
        ).get("Messages", [])
        if not batch:
            break
        held.extend(batch)
        found.extend(b for b in (json.loads(m["Body"]) for m in batch) if b.get("jobId") == job_id)
    for message in held:
        boto.sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return found
