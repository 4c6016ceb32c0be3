"""Dependencies that throttle, fail or vanish for a while: the services wait it out."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlparse

import httpx

from tests.integration.faults.conftest import StartStack
from tests.integration.faults.harness import (
    BackgroundServers,
    assert_completed_with_image,
    product_urls,
    read_jobs,
    submit,
    wait_drained,
    wait_final,
)
from tests.integration.faults.tcp_proxy import TcpProxy

_OUTAGE_EVENTS = frozenset(
    {"poll_failed", "message_settle_failed", "visibility_change_failed", "transient_failure"}
)


async def test_image_api_429_then_500_then_recovery(
    stack: StartStack, servers: BackgroundServers, boto: Any
) -> None:
    """The image API answers 429 (with Retry-After) for a while, then 500: renders back off
    (in process, then through the queue) and every job completes once the API recovers."""
    servers.image_control(
        fail_next=[{"status": 429, "retry_after": 1}] * 6, fail_rate=1.0, fail_rate_status=429
    )
    services = stack()
    job_ids = await submit(services.api, product_urls(servers.pages, 6, "throttle"))
    await asyncio.sleep(4)
    servers.image_control(fail_rate_status=500)
    await asyncio.sleep(4)
    stats = servers.image_stats()
    failed_calls = sum(c.get("429", 0) + c.get("500", 0) for c in stats["outcomes"].values())
    assert failed_calls >= len(job_ids) and servers.generations() == 0
    assert all(j["status"] != "completed" for j in read_jobs(boto.dynamodb, job_ids).values())
    servers.image_control(fail_rate=0.0)
    jobs = await wait_final(boto.dynamodb, job_ids, within=90)
    assert_completed_with_image(boto, jobs)
    assert servers.generations() == len(job_ids)
    await wait_drained(boto.sqs, ("scrape-requests", "render-requests"), within=30)


async def test_aws_unreachable_for_20_seconds(
    stack: StartStack, servers: BackgroundServers, boto: Any, aws_env: dict[str, str]
) -> None:
    """Every service reaches AWS through a proxy that refuses connections for 10 s and then
    stalls them for 10 s: the processes keep running and back off, carry on when AWS returns,
    and every job completes."""
    proxies = {
        key: TcpProxy("127.0.0.1", urlparse(aws_env[key]).port or 80).start()
        for key in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB")
    }
    try:
        servers.image_control(latency=1)
        services = stack(**{key: proxy.url for key, proxy in proxies.items()})
        job_ids = await submit(services.api, product_urls(servers.pages, 12, "outage"))
        await asyncio.sleep(1.0)  # some scraping, some rendering, some queued
        cut = time.monotonic()
        for proxy in proxies.values():
            proxy.set_mode("refuse")
        await asyncio.sleep(10)
        for proxy in proxies.values():
            proxy.set_mode("stall")
        await asyncio.sleep(10)
        for proxy in proxies.values():
            proxy.set_mode("pass")
        outage = time.monotonic() - cut
        for name, proc in services.procs.items():
            assert proc.poll() is None, f"{name} died during the outage:\n{services.log(name)[-3000:]}"
        jobs = await wait_final(boto.dynamodb, job_ids, within=120)
        assert_completed_with_image(boto, jobs)
        await wait_drained(boto.sqs, ("scrape-requests", "render-requests"), within=60)
        assert outage >= 20
        # Each worker met the outage (which call it hit depends on what it was doing at the cut:
        # a poll, a delete, a visibility change or a state write) and lived through it.
        for name in ("scraper", "renderer"):
            met = {event for event in _OUTAGE_EVENTS if f'"event": "{event}"' in services.log(name)}
            assert met, f"{name} logged none of {sorted(_OUTAGE_EVENTS)} during the outage"
        async with httpx.AsyncClient(base_url=services.api, timeout=5) as client:
            assert (await client.get("/healthz")).status_code == 200
    finally:
        for proxy in proxies.values():
            proxy.close()
