"""A burst on one instance of each service: every job reaches a final state, none is lost."""

from __future__ import annotations

import json
import os
import statistics
import time
from datetime import datetime
from typing import Any

import pytest

from tests.integration.conftest import RUN_DIR
from tests.integration.faults.conftest import StartStack
from tests.integration.faults.harness import (
    BackgroundServers,
    assert_completed_with_image,
    product_urls,
    submit,
    wait_drained,
    wait_final,
)

BURST = int(os.environ.get("FAULTS_BURST_JOBS", "200"))


def _seconds(job: dict[str, Any], start: str, end: str) -> float:
    ts = job["timestamps"]
    return (datetime.fromisoformat(ts[end]) - datetime.fromisoformat(ts[start])).total_seconds()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@pytest.mark.slow
async def test_burst_all_jobs_reach_a_final_state(
    stack: StartStack, servers: BackgroundServers, boto: Any
) -> None:
    """BURST jobs posted at once to one API, one scraper and one renderer (zero-latency image
    model): all complete, each with one image; wall time and end-to-end p50/p95 are recorded."""
    services = stack()
    urls = product_urls(servers.pages, BURST, "burst")
    started = time.monotonic()
    job_ids = await submit(services.api, urls, concurrency=32)
    submitted = time.monotonic() - started
    jobs = await wait_final(boto.dynamodb, job_ids, within=60 + BURST * 0.6)
    wall = time.monotonic() - started
    assert_completed_with_image(boto, jobs)
    assert servers.generations() == BURST
    await wait_drained(boto.sqs, ("scrape-requests", "render-requests"), within=30)
    e2e = [_seconds(j, "pending", "completed") for j in jobs.values()]
    report = {
        "jobs": BURST,
        "wall_s": round(wall, 1),
        "submit_s": round(submitted, 1),
        "throughput_jobs_per_s": round(BURST / wall, 1),
        "e2e_p50_s": round(statistics.median(e2e), 2),
        "e2e_p95_s": round(percentile(e2e, 0.95), 2),
    }
    (RUN_DIR / "faults-burst.json").write_text(json.dumps(report, indent=2))
    print("burst:", json.dumps(report))
