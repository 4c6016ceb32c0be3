"""The API's DynamoDB calls alone, with no API: the ceiling any API has on this local AWS.

    RUN_DIR=... .venv/bin/python bench/bench_store_ceiling.py [--clients 100] [--duration 30]

Each of N clients loops, with no pause, over exactly what one POST /v1/jobs and one
GET /v1/jobs/{id} ask of the job store: ``DynamoJobStore.create`` (a conditional PutItem
of a new job) and ``DynamoJobStore.get`` (a consistent GetItem), through the services'
own client settings (services.common.aws), in this one process. No HTTP in front, no SQS,
no EventBridge, no JSON for a caller: whatever latency this shows, the API cannot beat.
With N clients in a closed loop, Little's law ties the figures: mean latency = N /
throughput. Also prints the CPU the store's server used per call when its pid is in
$RUN_DIR/moto.pid (scripts/local_aws.sh start).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_api_load import ROOT, _aws_env, cpu_seconds, pct  # noqa: E402
from services.common.adapters.dynamo_job_store import DynamoJobStore  # noqa: E402
from services.common.aws import aws_clients  # noqa: E402
from services.common.job import Job  # noqa: E402
from services.common.settings import CommonSettings  # noqa: E402


async def client(store: DynamoJobStore, until: float, n: int, latency: dict[str, list[float]]) -> None:
    i = 0
    while time.monotonic() < until:
        i += 1
        job = Job.new(ttl_hours=1, productUrl=f"https://shop.example.com/p/{n}-{i}", tenant=f"bench{n}")
        started = time.perf_counter()
        await store.create(job)
        latency["create (POST)"].append(time.perf_counter() - started)
        started = time.perf_counter()
        if await store.get(job.jobId) is None:
            raise SystemExit(f"job {job.jobId} was written and cannot be read back")
        latency["get (GET)"].append(time.perf_counter() - started)


async def run(clients: int, duration: float) -> tuple[dict[str, list[float]], float, float]:
    common = CommonSettings()
    latency: dict[str, list[float]] = {"create (POST)": [], "get (GET)": []}
    async with aws_clients(common.aws_region, "dynamodb") as aws:
        store = DynamoJobStore(aws.dynamodb, common.jobs_table)
        warm: dict[str, list[float]] = {"create (POST)": [], "get (GET)": []}
        await asyncio.gather(*(client(store, time.monotonic() + 2, i, warm) for i in range(clients)))
        cpu = time.process_time()
        started = time.monotonic()
        await asyncio.gather(*(client(store, started + duration, i, latency) for i in range(clients)))
        return latency, time.monotonic() - started, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--duration", type=float, default=30.0)
    args = parser.parse_args()
    for key, value in _aws_env().items():
        os.environ.setdefault(key, value)
    pid_file = Path(os.environ.get("RUN_DIR", ROOT / ".run")) / "moto.pid"
    server = int(pid_file.read_text()) if pid_file.exists() else None
    server_cpu = cpu_seconds(server) if server else 0.0
    latency, elapsed, client_cpu = asyncio.run(run(args.clients, args.duration))
    calls = sum(len(v) for v in latency.values())
    pairs = min(len(v) for v in latency.values())
    print(
        f"{args.clients} clients (closed loop), {elapsed:.1f} s: {calls} store calls, {calls / elapsed:.0f} calls/s, "
        f"{pairs / elapsed:.0f} POST+GET pairs/s ({2 * pairs / elapsed:.0f} API requests/s at most)"
    )
    for name, values in latency.items():
        print(
            f"  {name:<14} p50 {pct(values, 50):6.1f} ms  p99 {pct(values, 99):6.1f} ms  "
            f"mean {statistics.fmean(values) * 1000:6.1f} ms"
        )
    print(f"SDK CPU in this process: {client_cpu / calls * 1000:.2f} ms per call")
    if server:
        print(f"store server CPU (pid {server}): {(cpu_seconds(server) - server_cpu) / calls * 1000:.2f} ms per call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
