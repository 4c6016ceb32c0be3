"""Load the API: POST /v1/jobs and GET /v1/jobs/{id} from N concurrent clients for T seconds.

    LOCALSTACK_PORT=... RUN_DIR=... .venv/bin/python bench/bench_api_load.py [--clients 100] [--duration 30]
    ... bench/bench_api_load.py --think 1 --polls 3     # integrators: POST, then read it every 1 s
    ... bench/bench_api_load.py --api-env API_HANDOFF_BATCH_SIZE=1     # a setting for the started API
    .venv/bin/python bench/bench_api_load.py --api http://127.0.0.1:8000 --key KEY   # a running API

Without --api it starts one API process (``python -m services.api``) on the local AWS
described by $RUN_DIR/aws.env (scripts/local_aws.sh start), with one API key per client
passed as API_KEYS (SSM is left alone) and the default rate limit, so every client has its
own bucket, as distinct integrators would. Each client loops: create a job, read it back.
That closed loop (no pause between requests) is the saturation figure. With ``--think S``
each client instead polls its job (``--polls`` reads, S seconds apart) and S seconds later
creates the next one: the load of N real integrators rather than the most the API
can take. Prints throughput, p50/p99/max per operation and every error; exits 1 if any
request failed or p99 is over --p99-ms. The scrape queue keeps the created jobs' messages (no
scraper runs); they expire with the queue's retention or a purge.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]


def _aws_env() -> dict[str, str]:
    run_dir = Path(os.environ.get("RUN_DIR", ROOT / ".run"))
    env = {}
    for line in (run_dir / "aws.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_api(keys: list[str], log: Path, extra: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("API_")}
    env.update(_aws_env())
    env.update(
        {
            "API_PORT": str(port),
            "PYTHONUNBUFFERED": "1",
            "API_KEYS": ",".join(
                f"bench{i}:{hashlib.sha256(k.encode()).hexdigest()}" for i, k in enumerate(keys)
            ),
            **extra,
        }
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "services.api"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, base
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the API exited; see {log}") from None
            time.sleep(0.1)
    raise SystemExit(f"the API did not start; see {log}")


class Recorder:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {"POST /v1/jobs": [], "GET /v1/jobs/{id}": []}
        self.errors: Counter[str] = Counter()

    def count(self) -> int:
        return sum(len(v) for v in self.latency.values()) + sum(self.errors.values())

    async def timed(self, operation: str, expect: int, request: Any) -> bytes | None:
        """Runs one request (an aiohttp request context), records its latency under
        `operation` ("POST /v1/jobs") or its failure; the body when the status is `expect`."""
        method = operation.split()[0]
        started = time.perf_counter()
        try:
            async with request as resp:
                body: bytes = await resp.read()
                status = resp.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.errors[f"{method} {type(exc).__name__}"] += 1
            return None
        self.latency[operation].append(time.perf_counter() - started)
        if status != expect:
            self.errors[f"{method} {status}"] += 1
            return None
        return body


async def client(
    http: aiohttp.ClientSession,
    base: str,
    key: str,
    until: float,
    rec: Recorder,
    n: int,
    think: float = 0.0,
    polls: int = 1,
) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    i = 0
    if think:  # integrators do not start in lock step
        await asyncio.sleep(think * n / 100 % think)
    while time.monotonic() < until:
        i += 1
        created = await rec.timed("POST /v1/jobs", 202, http.post(
            f"{base}/v1/jobs", headers=headers, json={"productUrl": f"https://shop.example.com/p/{n}-{i}"}
        ))
        if created is None:
            continue
        job_id = json.loads(created)["jobId"]
        for _ in range(polls):
            if think:
                await asyncio.sleep(think)
                if time.monotonic() >= until:
                    return
            if await rec.timed("GET /v1/jobs/{id}", 200, http.get(f"{base}/v1/jobs/{job_id}", headers=headers)) is None:
                break
        if think:
            await asyncio.sleep(think)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (Linux /proc), to show what the API itself spent."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] * 1000 if len(values) > 1 else 0.0
    )


async def run(
    base: str, keys: list[str], clients: int, duration: float, think: float, polls: int
) -> tuple[Recorder, Recorder, float]:
    rec, warm = Recorder(), Recorder()
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients), timeout=timeout) as http:
        # Warm-up: the first requests open AWS connection pools; not measured.
        await asyncio.gather(
            *(client(http, base, keys[i % len(keys)], time.monotonic() + 2, warm, i) for i in range(clients))
        )
        started = time.monotonic()
        until = started + duration
        await asyncio.gather(
            *(client(http, base, keys[i % len(keys)], until, rec, i, think, polls) for i in range(clients))
        )
        return rec, warm, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--api", help="base URL of a running API (else one is started)")
    parser.add_argument("--key", help="API key for --api")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--p99-ms", type=float, default=250.0, help="target; exit 1 when any p99 is above it")
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds between a client's requests (default 0: closed loop)"
    )
    parser.add_argument("--polls", type=int, default=1, help="reads of each created job (default 1)")
    parser.add_argument(
        "--api-env", action="append", default=[], metavar="NAME=VALUE", help="a setting for the started API"
    )
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.api_env)
    proc = None
    if args.api:
        if not args.key:
            parser.error("--api needs --key")
        base, keys = args.api.rstrip("/"), [args.key]
    else:
        keys = [f"bench-key-{i}" for i in range(args.clients)]
        log = Path(os.environ.get("RUN_DIR", ROOT / ".run")) / "bench-api.log"
        proc, base = start_api(keys, log, extra)
        print(f"API {base} (pid {proc.pid}), log {log}")
    cpu_before = cpu_seconds(proc.pid) if proc is not None else 0.0
    try:
        rec, warm, elapsed = asyncio.run(
            run(base, keys, args.clients, args.duration, args.think, max(1, args.polls))
        )
        cpu = cpu_seconds(proc.pid) - cpu_before if proc is not None else None
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    total = sum(len(v) for v in rec.latency.values())
    if cpu is not None and total:
        served = rec.count() + warm.count()
        print(
            f"API process CPU: {cpu:.1f} s ({cpu / elapsed * 100:.0f}% of one core), "
            f"{cpu / served * 1000:.1f} ms per request (all {served}, warm-up included)"
        )
    mode = f"think {args.think:g} s, {max(1, args.polls)} read(s) per job" if args.think else "closed loop"
    print(
        f"{args.clients} clients ({mode}), {elapsed:.1f} s: {total} requests, {total / elapsed:.0f} req/s, "
        f"errors {sum(rec.errors.values())} {dict(rec.errors) or ''}"
    )
    worst = 0.0
    for name, values in rec.latency.items():
        p50, p99 = pct(values, 50), pct(values, 99)
        worst = max(worst, p99)
        print(
            f"  {name:<18} n={len(values):>6}  {len(values) / elapsed:>6.0f}/s  p50 {p50:6.1f} ms  "
            f"p99 {p99:6.1f} ms  max {max(values, default=0) * 1000:6.1f} ms"
        )
    ok = not rec.errors and worst <= args.p99_ms
    print(f"target (no error, p99 <= {args.p99_ms:.0f} ms): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
