"""Workers that die or are stopped mid-work: no job is lost, none is finished twice."""

from __future__ import annotations

import asyncio
import signal
import time
from typing import Any

from tests.integration.faults.conftest import LEASE_SECONDS, StartStack
from tests.integration.faults.harness import (
    BackgroundServers,
    assert_completed_with_image,
    product_urls,
    submit,
    wait_drained,
    wait_final,
)


async def _until(condition: Any, within: float, what: str) -> None:
    for _ in range(int(within / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_renderer_killed_mid_generation_still_completes(
    stack: StartStack, servers: BackgroundServers, boto: Any
) -> None:
    """SIGKILL while the image model is answering: after the lease and the message's visibility
    run out, a new renderer claims the jobs again and completes each exactly once."""
    servers.image_control(latency=3)
    services = stack()
    job_ids = await submit(services.api, product_urls(servers.pages, 3, "kill"))
    await _until(lambda: servers.image_stats()["in_flight"] >= 3, 30, "generations in flight")
    services.stop("renderer", signal.SIGKILL)
    assert services.procs["renderer"].returncode == -signal.SIGKILL
    servers.image_control(latency=0.5)
    restarted = stack(("renderer",))
    jobs = await wait_final(boto.dynamodb, job_ids, within=30 + 3 * int(LEASE_SECONDS))
    assert_completed_with_image(boto, jobs)
    await wait_drained(boto.sqs, ("scrape-requests", "render-requests"), within=30)
    # The killed calls were answered to nobody; each job then paid for exactly one more.
    assert servers.generations() <= 2 * len(job_ids)
    assert restarted.procs["renderer"].poll() is None


async def test_sigterm_during_a_burst_loses_nothing(
    stack: StartStack, servers: BackgroundServers, boto: Any
) -> None:
    """SIGTERM to both workers mid-burst: each exits 0 within its shutdown deadline, releasing
    what it could not finish; restarted workers complete every job, and only once."""
    # Generations far longer than the deadline, so the ones in flight at SIGTERM cannot finish
    # in time however the machine schedules the two stops: the renderer must release them.
    servers.image_control(latency=30)
    deadline = 3.0
    services = stack(SCRAPER_SHUTDOWN_DEADLINE=str(deadline), RENDERER_SHUTDOWN_DEADLINE=str(deadline))
    job_ids = await submit(services.api, product_urls(servers.pages, 24, "term"))
    await _until(lambda: servers.image_stats()["in_flight"] >= 3, 60, "generations in flight")
    took = await asyncio.gather(*(
        asyncio.to_thread(services.stop, name, signal.SIGTERM) for name in ("renderer", "scraper")
    ))
    for name, seconds in zip(("renderer", "scraper"), took, strict=True):
        assert services.procs[name].returncode == 0, services.log(name)
        assert seconds < deadline + 6, f"{name} took {seconds:.1f}s to exit"
    assert '"releasing_unfinished"' in services.log("renderer")
    started = time.monotonic()
    servers.image_control(latency=0.2)
    stack(("scraper", "renderer"))
    jobs = await wait_final(boto.dynamodb, job_ids, within=120)
    assert_completed_with_image(boto, jobs)
    await wait_drained(boto.sqs, ("scrape-requests", "render-requests"), within=30)
    assert time.monotonic() - started < 120
