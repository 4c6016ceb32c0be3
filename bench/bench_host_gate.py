"""What per-host politeness costs each fetch: DynamoDB calls and latency, on the local AWS.

    RUN_DIR=... .venv/bin/python bench/bench_host_gate.py [--fetches 300] [--workers 40]

Two runs through the scraper's own pieces (DynamoHostGate on the jobs table, HostPacer):

- quiet: one fetch at a time, each at its own host (no waiting for a turn): what the gate
  adds to every fetch: its calls (take a slot, give it back) and their latency, without
  the start margin (the scraper adds SCRAPER_HOST_START_MARGIN, 0.1 s, on top).
- busy: ``--workers`` tasks, in two pacers (two scraper processes: each lets one task at a
  time ask the table for a host, the rest queue in the process), fetching from ONE host at
  2 in flight and 10 requests/s, each
  "request" 50 ms, with the scraper's start margin: the calls per fetch when most attempts
  are refused and asked again.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_api_load import _aws_env, pct  # noqa: E402
from services.common.adapters.dynamo_host_gate import DynamoHostGate  # noqa: E402
from services.common.aws import aws_clients  # noqa: E402
from services.common.host_gate import HostLimits  # noqa: E402
from services.common.host_pacing import HostPacer  # noqa: E402
from services.common.settings import CommonSettings  # noqa: E402


class CountingClient:
    """The DynamoDB client, counting its calls."""

    def __init__(self, client: Any) -> None:
        self._client, self.calls = client, 0

    async def update_item(self, **kwargs: Any) -> Any:
        self.calls += 1
        return await self._client.update_item(**kwargs)


def _pacer(gate: DynamoHostGate) -> HostPacer:
    return HostPacer(gate, lease_seconds=30, max_wait=120, max_back_off=600, default_back_off=30, start_margin=0.1)


async def quiet(gate: DynamoHostGate, counter: CountingClient, fetches: int) -> None:
    limits, run = HostLimits(2, 1.0), uuid.uuid4().hex[:6]
    acquire, release = [], []
    for i in range(fetches):
        host = f"bench-{run}-{i}.example"
        started = time.perf_counter()
        grant = await gate.acquire(host, limits, now=time.time(), lease_seconds=30)
        acquire.append(time.perf_counter() - started)
        started = time.perf_counter()
        await gate.release(grant)  # type: ignore[arg-type]
        release.append(time.perf_counter() - started)
    total = [a + r for a, r in zip(acquire, release, strict=True)]
    print(f"quiet: {fetches} fetches, {counter.calls / fetches:.2f} DynamoDB calls per fetch; "
          f"take p50 {pct(acquire, 50):.1f} ms p95 {pct(acquire, 95):.1f} ms; "
          f"give back p50 {pct(release, 50):.1f} ms; both p50 {pct(total, 50):.1f} ms p95 {pct(total, 95):.1f} ms")


async def busy(gate: DynamoHostGate, counter: CountingClient, workers: int, each: int) -> None:
    pacers, limits, host = [_pacer(gate), _pacer(gate)], HostLimits(2, 10.0), f"https://busy-{uuid.uuid4().hex[:6]}.example/p"
    waits: list[float] = []

    async def worker(pacer: HostPacer) -> None:
        for _ in range(each):
            asked = time.perf_counter()
            async with pacer.slot(host, limits):
                waits.append(time.perf_counter() - asked)
                await asyncio.sleep(0.05)

    counter.calls = 0
    started = time.perf_counter()
    await asyncio.gather(*(worker(pacers[i % 2]) for i in range(workers)))
    elapsed, fetches = time.perf_counter() - started, workers * each
    print(f"busy: {fetches} fetches at one host (2 in flight, 10/s) by {workers} tasks in 2 processes, {elapsed:.1f} s "
          f"({fetches / elapsed:.1f}/s); {counter.calls / fetches:.2f} DynamoDB calls per fetch; "
          f"wait for a turn p50 {statistics.median(waits):.2f} s")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fetches", type=int, default=300)
    parser.add_argument("--workers", type=int, default=40)
    args = parser.parse_args()
    os.environ.update(_aws_env())
    common = CommonSettings()
    async with aws_clients(common.aws_region, "dynamodb") as aws:
        counter = CountingClient(aws.dynamodb)
        gate = DynamoHostGate(counter, common.jobs_table)  # type: ignore[arg-type]
        await quiet(gate, counter, args.fetches)
        await busy(gate, counter, args.workers, each=5)


if __name__ == "__main__":
    asyncio.run(main())
