"""Politeness per shop, measured at the shop: two scraper processes share one host's pace,
wait out its 429 Retry-After together, and honour its robots.txt (tenant opt-out aside)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.aws import aws_clients
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.messages import scrape_request_body
from services.common.settings import CommonSettings
from tests.integration.conftest import ROOT, purge_queues, service_env
from tests.integration.conftest import log_dir_for as log_dir_of
from tests.integration.polite_shop import PoliteShop

pytestmark = pytest.mark.integration

IN_FLIGHT, RATE = 2, 4.0  # per host, all scraper processes together
RETRY_AFTER = 3
OWN_SHOP_TENANT = "own-shop"


@pytest.fixture(scope="module")
def scrapers(aws_env: dict[str, str], boto: Any, tmp_path_factory: pytest.TempPathFactory,
             request: pytest.FixtureRequest) -> Iterator[list[Path]]:
    """Two scraper processes (nothing else), paced at IN_FLIGHT / RATE per host; their log files."""
    purge_queues(boto.sqs)
    tmp, logs = tmp_path_factory.mktemp("polite"), log_dir_of(request)
    env = service_env(
        aws_env, tmp,
        SCRAPER_HOST_MAX_IN_FLIGHT=str(IN_FLIGHT), SCRAPER_HOST_REQUESTS_PER_SECOND=str(RATE),
        # A Retry-After longer than 1 s is not slept on in the fetcher: the message goes back to the queue.
        FETCH_MAX_RETRY_AFTER="1",
        SCRAPER_ROBOTS_OPT_OUT=json.dumps({OWN_SHOP_TENANT: ["127.0.0.1"]}),
    )
    procs, paths = [], []
    for index in range(2):
        path = logs / f"scraper-{index}.log"
        out = open(path, "wb")  # noqa: SIM115 - owned by the process
        own = {**env, "SCRAPER_HEALTH_FILE": str(tmp / f"{index}.health")}
        procs.append(subprocess.Popen([sys.executable, "-m", "services.scraper"], cwd=ROOT, stdout=out,
                                      stderr=subprocess.STDOUT, env=own))
        paths.append(path)
    yield paths
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(timeout=30)
    purge_queues(boto.sqs)


@pytest.fixture
async def shop() -> AsyncIterator[PoliteShop]:
    server = PoliteShop()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def store(aws_env: dict[str, str]) -> AsyncIterator[DynamoJobStore]:
    async with aws_clients(aws_env["AWS_REGION"], "dynamodb") as aws:
        yield DynamoJobStore(aws.dynamodb, CommonSettings().jobs_table)


async def _submit(store: DynamoJobStore, boto: Any, urls: list[str], tenant: str = "itest") -> list[str]:
    queue = boto.sqs.get_queue_url(QueueName=CommonSettings().scrape_queue)["QueueUrl"]
    ids = []
    for url in urls:
        job = Job.new(ttl_hours=1, productUrl=url, tenant=tenant)
        await store.create(job)
        boto.sqs.send_message(QueueUrl=queue, MessageBody=scrape_request_body(job.jobId, 1))
        ids.append(job.jobId)
    return ids


async def _settled(store: DynamoJobStore, ids: list[str], timeout: float) -> dict[str, Job]:
    deadline, jobs = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        jobs = {i: j for i in ids if (j := await store.get(i)) is not None}
        if all(j.status in (JobStatus.SCRAPED, JobStatus.FAILED) for j in jobs.values()) and len(jobs) == len(ids):
            return jobs
        await asyncio.sleep(0.3)
    raise AssertionError(f"jobs not settled in {timeout}s: {[j.status.value for j in jobs.values()]}")


async def test_two_scraper_processes_never_pass_the_hosts_in_flight_or_rate_limit(
    scrapers: list[Path], shop: PoliteShop, store: DynamoJobStore, boto: Any
) -> None:
    """12 jobs (24 slow requests) at one host from two processes of up to 10 jobs each: the shop
    never sees more than 2 requests at once, nor two starts closer than 1/4 s; both processes worked."""
    shop.delay = 0.6
    ids = await _submit(store, boto, [shop.product_url(f"lamp-{i}") for i in range(12)])
    jobs = await _settled(store, ids, timeout=90)
    assert {j.status for j in jobs.values()} == {JobStatus.SCRAPED}
    assert shop.max_in_flight == IN_FLIGHT  # reached, never passed
    starts = shop.starts()
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    print(f"measured at the shop: {len(starts)} requests, at most {shop.max_in_flight} in flight, "
          f"closest starts {min(gaps):.3f} s apart, {len(starts) / (starts[-1] - starts[0]):.2f} requests/s overall")
    assert len(starts) >= 24 and min(gaps) >= 1 / RATE - 0.03, sorted(gaps)[:5]
    scraped_by = [log.read_text().count('"product_scraped"') for log in scrapers]
    assert all(count > 0 for count in scraped_by), scraped_by


async def test_a_429_with_retry_after_holds_every_process_off_the_host_and_the_job_then_succeeds(
    scrapers: list[Path], shop: PoliteShop, store: DynamoJobStore, boto: Any
) -> None:
    """The first request gets 429 Retry-After: 3: no request from either process starts at the host for
    3 s after it; the refused job goes back to the queue (Retry-After > FETCH_MAX_RETRY_AFTER) and is scraped."""
    shop.delay, shop.refuse_next, shop.retry_after = 0.1, 1, RETRY_AFTER
    ids = await _submit(store, boto, [shop.product_url(f"chair-{i}") for i in range(4)])
    jobs = await _settled(store, ids, timeout=60)
    assert {j.status for j in jobs.values()} == {JobStatus.SCRAPED}
    refused = next(v for v in shop.visits if v.status == 429)
    later = [v.started for v in shop.visits if v.started > refused.started]
    print(f"measured at the shop: first request after the 429 {min(later) - refused.started:.2f} s later")
    assert later and min(later) >= refused.started + RETRY_AFTER - 0.05, (refused.started, min(later))
    assert any('"transient_failure"' in log.read_text() for log in scrapers)


async def test_robots_txt_disallow_fails_the_job_without_fetching_the_page_unless_the_tenant_owns_the_shop(
    scrapers: list[Path], shop: PoliteShop, store: DynamoJobStore, boto: Any
) -> None:
    """robots.txt disallows /private/ for ProductshotBot: that job fails with robots_disallowed and the shop
    never sees the page; an allowed page is scraped; the opted-out tenant's job on /private/ is scraped."""
    shop.delay = 0.05
    shop.robots = "User-agent: ProductshotBot\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n"
    [blocked] = await _submit(store, boto, [shop.product_url("secret", folder="private")])
    [allowed] = await _submit(store, boto, [shop.product_url("open")])
    [own] = await _submit(store, boto, [shop.product_url("mine", folder="private")], tenant=OWN_SHOP_TENANT)
    jobs = await _settled(store, [blocked, allowed, own], timeout=60)
    assert jobs[blocked].status == JobStatus.FAILED
    assert jobs[blocked].error is not None and jobs[blocked].error["code"] == "robots_disallowed"
    assert "robots.txt" in jobs[blocked].error["reason"] and "ProductshotBot" in jobs[blocked].error["reason"]
    assert (jobs[allowed].status, jobs[own].status) == (JobStatus.SCRAPED, JobStatus.SCRAPED)
    paths = [v.path for v in shop.visits]
    assert "/private/secret" not in paths and "/private/mine" in paths and "/robots.txt" in paths
    assert all("ProductshotBot" in v.user_agent for v in shop.visits)
