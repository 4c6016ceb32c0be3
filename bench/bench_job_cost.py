"""What one job uses, measured on the local stack with the services' real code paths.

    LOCALSTACK_PORT=4766 MOTO_PORT=4767 RUN_DIR=.run-faults \\
        .venv/bin/python bench/bench_job_cost.py [--jobs 8] [--idle 60] [--in-flight 40] [--out FILE]

The three services run as in production (20 s long polls, log level info) with the
``bench/aws_meter`` hooks loaded: every AWS call they make is counted through the SDK's own
event hooks (per service and operation; HTTP requests including retries; DynamoDB capacity
units from ``ReturnConsumedCapacity``; S3 bytes; EventBridge entries; SQS messages and empty
receives). Per scenario (a URL job or a product-facts job, one or three formats) ``--jobs``
jobs run one at a time through ``POST /v1/jobs``; the figures are the deltas divided by the
number of jobs, next to each service's CPU time (``/proc/<pid>/stat``) and log bytes.

Then ``--idle`` seconds with no traffic give the idle request rate (long polls), and
``--in-flight`` product jobs held at a 5 s model latency give the renderer's memory per job
waiting on the model (peak RSS minus idle RSS, divided by the jobs in flight).
The JSON written to ``--out`` (default ``$RUN_DIR/bench-job-cost.json``) is what
``bench/cost_model.py`` reads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from stack import ROOT, RUN_DIR, Bench, bench_stack  # type: ignore[import-not-found]

METER_DIR = RUN_DIR / "aws-meter"
SERVICES = ("api", "scraper", "renderer")
KEY = {"Authorization": "Bearer bench-key"}
SCENARIOS: list[tuple[str, str, list[str]]] = [
    ("url, 1 format", "url", ["square"]),
    ("url, 3 formats", "url", ["square", "landscape", "story"]),
    ("facts, 1 format", "facts", ["square"]),
    ("facts, 3 formats", "facts", ["square", "landscape", "story"]),
]
_TICKS = os.sysconf("SC_CLK_TCK")


def read_meters() -> dict[str, dict[str, dict[str, float]]]:
    meters = {}
    for name in SERVICES:
        path = METER_DIR / f"{name}.json"
        meters[name] = json.loads(path.read_text())["calls"] if path.exists() else {}
    return meters


def settle_meters() -> dict[str, dict[str, dict[str, float]]]:
    time.sleep(1.5)  # the meters flush every second
    return read_meters()


def delta(after: dict[str, Any], before: dict[str, Any], per: float) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {}
    for service, ops in after.items():
        for op, fields in ops.items():
            base = before.get(service, {}).get(op, {})
            diff = {f: round((v - base.get(f, 0.0)) / per, 3) for f, v in fields.items()}
            if any(diff.values()):
                out.setdefault(service, {})[op] = diff
    return out


def cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / _TICKS  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def log_bytes(bench_logs: Path) -> dict[str, int]:
    return {name: (bench_logs / f"{name}.log").stat().st_size for name in SERVICES}


def job_item(bench: Bench, job_id: str) -> dict[str, Any]:
    item: dict[str, Any] = bench.dynamodb.get_item(
        TableName="productshot-jobs", Key={"jobId": {"S": job_id}}, ConsistentRead=True
    ).get("Item", {})
    return item


_TYPES = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}


def item_kb(item: dict[str, Any]) -> float:
    """About DynamoDB's size of an item (names and values as UTF-8), from its low-level form."""
    def size(value: Any) -> int:
        if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _TYPES:
            return size(next(iter(value.values())))  # {"S": ...}: the value alone counts
        if isinstance(value, dict):
            return sum(len(k.encode()) + size(v) for k, v in value.items())
        if isinstance(value, list):
            return sum(size(v) for v in value)
        return len(str(value).encode())
    return size(item) / 1024


async def run_job(client: httpx.AsyncClient, bench: Bench, body: dict[str, Any]) -> tuple[str, str]:
    """Submit through the API; watch the table directly, so the API's figures are the submission's alone."""
    resp = await client.post("/v1/jobs", json=body)
    resp.raise_for_status()
    job_id: str = resp.json()["jobId"]
    while True:
        await asyncio.sleep(0.25)
        item = await asyncio.to_thread(job_item, bench, job_id)
        status = item.get("status", {}).get("S")
        if status in ("completed", "failed") and status in item.get("timestamps", {}).get("M", {}):
            return job_id, str(status)


def scenario(bench: Bench, api: str, procs: dict[str, int], kind: str, formats: list[str], n: int,
             tag: str) -> dict[str, Any]:
    pages = bench.servers.pages
    bodies = []
    for i in range(n):
        if kind == "url":
            bodies.append({"productUrl": pages.add_product(f"{tag}-{i}", f"Copper Kettle {i}", "129.00",
                                                           regular="159.00"), "formats": formats})
        else:
            bodies.append({"product": {"name": f"Copper Kettle {i}", "price": "129.00", "currency": "USD",
                                       "regularPrice": "159.00", "brand": "Northwind"}, "formats": formats})
    logs_dir = RUN_DIR / "bench-logs"
    before, cpu0, logs0 = settle_meters(), {s: cpu_ms(p) for s, p in procs.items()}, log_bytes(logs_dir)
    started = time.monotonic()

    async def all_jobs() -> list[tuple[str, str]]:
        async with httpx.AsyncClient(base_url=api, headers=KEY, timeout=30) as client:
            return [await run_job(client, bench, body) for body in bodies]

    results = asyncio.run(all_jobs())
    outcomes = [status for _, status in results]
    wall = time.monotonic() - started
    after = settle_meters()
    return {
        "kind": kind,
        "formats": formats,
        "jobs": n,
        "completed": outcomes.count("completed"),
        "wall_s": round(wall, 1),
        "aws_per_job": delta(after, before, n),
        "job_item_kb": round(item_kb(job_item(bench, results[-1][0])), 2),
        "cpu_ms_per_job": {s: round((cpu_ms(p) - cpu0[s]) / n, 1) for s, p in procs.items()},
        "log_bytes_per_job": {s: round((b - logs0[s]) / n) for s, b in log_bytes(logs_dir).items()},
    }


def status_reads(bench: Bench, api: str, procs: dict[str, int], n: int = 40) -> dict[str, Any]:
    """What one GET /v1/jobs/{id} costs the API: CPU and AWS calls (clients poll it)."""
    body = {"product": {"name": "Copper Kettle", "price": "129.00", "currency": "USD"}}

    async def reads() -> None:
        async with httpx.AsyncClient(base_url=api, headers=KEY, timeout=30) as client:
            job_id, _ = await run_job(client, bench, body)
            nonlocal before, cpu0
            before, cpu0 = await asyncio.to_thread(settle_meters), cpu_ms(procs["api"])
            for _ in range(n):
                (await client.get(f"/v1/jobs/{job_id}")).raise_for_status()

    before: dict[str, Any] = {}
    cpu0 = 0.0
    asyncio.run(reads())
    after = settle_meters()
    return {"reads": n, "cpu_ms_per_read": round((cpu_ms(procs["api"]) - cpu0) / n, 2),
            "aws_per_read": {k: v for k, v in delta(after, before, n).items() if k == "api"}}


def idle(procs: dict[str, int], seconds: float) -> dict[str, Any]:
    before, cpu0 = settle_meters(), {s: cpu_ms(p) for s, p in procs.items()}
    time.sleep(seconds)
    after = read_meters()
    per_minute = seconds / 60
    return {
        "seconds": seconds,
        "aws_per_minute": delta(after, before, per_minute),
        "cpu_ms_per_minute": {s: round((cpu_ms(p) - cpu0[s]) / per_minute, 1) for s, p in procs.items()},
        "rss_mb": {s: round(rss_mb(p), 1) for s, p in procs.items()},
    }


def memory_per_waiting_job(bench: Bench, api: str, pid: int, in_flight: int, latency: float) -> dict[str, Any]:
    bench.servers.image_control(latency=latency)
    base = rss_mb(pid)
    peak = base
    body = {"product": {"name": "Copper Kettle", "price": "129.00", "currency": "USD"}, "formats": ["square"]}

    async def burst() -> None:
        nonlocal peak
        async with httpx.AsyncClient(base_url=api, headers=KEY, timeout=30) as client:
            ids = [(await client.post("/v1/jobs", json=body)).json()["jobId"] for _ in range(in_flight)]
            deadline = time.monotonic() + 120 + latency * 3
            while time.monotonic() < deadline:
                peak = max(peak, rss_mb(pid))
                await asyncio.sleep(0.1)
                statuses = [(await client.get(f"/v1/jobs/{i}")).json()["status"] for i in ids[-3:]]
                if all(s in ("completed", "failed") for s in statuses):
                    break

    asyncio.run(burst())
    bench.servers.image_control(latency=0)
    return {"in_flight": in_flight, "model_latency_s": latency, "idle_rss_mb": round(base, 1),
            "peak_rss_mb": round(peak, 1), "mb_per_waiting_job": round((peak - base) / in_flight, 2)}


def print_table(report: dict[str, Any]) -> None:
    print(f"\nper job (median machine, {report['measuredAt']}):")
    for name, result in report["scenarios"].items():
        total = sum(f.get("requests", f.get("calls", 0)) for ops in result["aws_per_job"].values()
                    for f in ops.values())
        print(f"\n== {name}: {result['completed']}/{result['jobs']} completed, {total:.1f} AWS requests per job")
        print(f"   CPU ms: {result['cpu_ms_per_job']}   log bytes: {result['log_bytes_per_job']}")
        for service, ops in sorted(result["aws_per_job"].items()):
            for op, fields in sorted(ops.items()):
                print(f"   {service:9s} {op:32s} " + "  ".join(f"{k}={v:g}" for k, v in sorted(fields.items())))
    idle_report = report["idle"]
    print(f"\n== idle, per minute: CPU ms {idle_report['cpu_ms_per_minute']}  RSS MB {idle_report['rss_mb']}")
    for service, ops in sorted(idle_report["aws_per_minute"].items()):
        for op, fields in sorted(ops.items()):
            print(f"   {service:9s} {op:32s} " + "  ".join(f"{k}={v:g}" for k, v in sorted(fields.items())))
    print(f"\n== renderer memory while jobs wait on the model: {report['memory']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--in-flight", type=int, default=40)
    parser.add_argument("--latency", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=RUN_DIR / "bench-job-cost.json")
    parser.add_argument("--scene-format", choices=("jpeg", "png", "webp"), default="jpeg",
                        help="RENDERER_SCENE_FORMAT: what the renderer asks the model for")
    args = parser.parse_args()
    METER_DIR.mkdir(parents=True, exist_ok=True)
    for old in METER_DIR.glob("*.json"):
        old.unlink()
    with bench_stack() as bench:
        meter_path = str(ROOT / "bench" / "aws_meter")
        procs: dict[str, int] = {}
        api = ""
        for name in SERVICES:  # one start each: every process writes its own meter file
            started = bench.start(
                (name,),
                SCRAPER_WAIT_TIME_SECONDS="20",
                RENDERER_WAIT_TIME_SECONDS="20",
                PRODUCTSHOT_LOG_LEVEL="info",
                PYTHONPATH=os.pathsep.join(filter(None, [meter_path, os.environ.get("PYTHONPATH")])),
                AWS_METER_FILE=str(METER_DIR / f"{name}.json"),
                RENDERER_SCENE_FORMAT=args.scene_format,
            )
            procs[name] = started.procs[name].pid
            api = started.api if name == "api" else api
        time.sleep(3)  # the workers' first polls
        scenario(bench, api, procs, "url", ["square"], 2, "warm")  # warm-up, not reported
        report: dict[str, Any] = {
            "measuredAt": datetime.now(UTC).isoformat(timespec="seconds"),
            "scenarios": {
                name: scenario(bench, api, procs, kind, formats, args.jobs, f"s{i}")
                for i, (name, kind, formats) in enumerate(SCENARIOS)
            },
        }
        report["status_reads"] = status_reads(bench, api, procs)
        report["model_output"] = args.scene_format
        report["idle"] = idle(procs, args.idle)
        report["memory"] = memory_per_waiting_job(bench, api, procs["renderer"], args.in_flight, args.latency)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print_table(report)
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
