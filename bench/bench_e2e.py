"""End-to-end latency of the pipeline on the local AWS: POST to completed, and per hop.

    LOCALSTACK_PORT=4766 MOTO_PORT=4767 RUN_DIR=.run-faults \\
        .venv/bin/python bench/bench_e2e.py [--jobs 200] [--concurrency 1] [--burst 0]

A zero-latency image server and a local shop page; one API, scraper and renderer with
production polling (20 s long polls). ``--concurrency`` jobs are in the pipeline at a time
(closed loop; by default one, so the figures are latency, not queueing: on two cores shared
with the emulators, 4 in flight already wait for each other). Times come from each job's
``timestamps`` (status -> when it was entered, written by the store):

    queue     pending   -> scraping   API's SendMessage to the scraper's claim
    scrape    scraping  -> scraped    fetch, extract, photo to S3, state write
    event     scraped   -> rendering  PutEvents -> rule -> SQS -> the renderer's claim
    render    rendering -> completed  generate, overlay, encode, PutObject, state write

``--burst N`` instead posts N jobs at once and reports the wall time until all are final.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from datetime import datetime
from typing import Any

import httpx
from stack import RUN_DIR, Bench, bench_stack  # type: ignore[import-not-found]

HOPS = [
    ("queue", "pending", "scraping"),
    ("scrape", "scraping", "scraped"),
    ("event", "scraped", "rendering"),
    ("render", "rendering", "completed"),
]


def _read(bench: Bench, job_id: str) -> dict[str, Any]:
    item = bench.dynamodb.get_item(
        TableName="productshot-jobs", Key={"jobId": {"S": job_id}}, ConsistentRead=True
    )["Item"]
    return {
        "status": item["status"]["S"],
        "timestamps": {k: v["S"] for k, v in item["timestamps"]["M"].items()},
    }


def _ms(ts: dict[str, str], start: str, end: str) -> float:
    return (datetime.fromisoformat(ts[end]) - datetime.fromisoformat(ts[start])).total_seconds() * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def one_job(client: httpx.AsyncClient, bench: Bench, url: str) -> dict[str, Any]:
    posted = time.perf_counter()
    resp = await client.post("/generative-ai-images/generate", json={"productUrl": url})
    resp.raise_for_status()
    job_id = resp.json()["jobId"]
    while True:
        job = await asyncio.to_thread(_read, bench, job_id)
        # moto's reads are not isolated from a concurrent update: wait for the whole write.
        if job["status"] in ("completed", "failed") and job["status"] in job["timestamps"]:
            job["client_ms"] = (time.perf_counter() - posted) * 1000
            return job
        await asyncio.sleep(0.01)


async def closed_loop(bench: Bench, api: str, urls: list[str], concurrency: int) -> list[dict[str, Any]]:
    pending = list(urls)
    results: list[dict[str, Any]] = []
    async with httpx.AsyncClient(base_url=api, timeout=30) as client:

        async def worker() -> None:
            while pending:
                results.append(await one_job(client, bench, pending.pop()))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


async def burst(bench: Bench, api: str, urls: list[str]) -> tuple[float, list[dict[str, Any]]]:
    started = time.perf_counter()
    gate = asyncio.Semaphore(32)
    async with httpx.AsyncClient(base_url=api, timeout=60) as client:

        async def post(url: str) -> str:
            async with gate:
                return str(
                    (await client.post("/generative-ai-images/generate", json={"productUrl": url})).json()[
                        "jobId"
                    ]
                )

        ids = await asyncio.gather(*(post(u) for u in urls))
    left, done = set(ids), []
    while left:
        for job_id in list(left):
            job = await asyncio.to_thread(_read, bench, job_id)
            if job["status"] in ("completed", "failed") and job["status"] in job["timestamps"]:
                left.discard(job_id)
                done.append(job)
        await asyncio.sleep(0.5)
    return time.perf_counter() - started, done


def renderer_split(log: str) -> dict[str, Any]:
    """From the renderer's log: the render hop's steps (model call, overlay + encode + S3
    writes of the variants, waiting for the scene's cache write, the state write), p50 each."""
    steps: dict[str, list[float]] = {}
    for line in log.splitlines():
        if '"event": "image_generated"' in line:
            entry = json.loads(line)
            for key in ("generate_ms", "variants_ms", "cache_wait_ms", "advance_ms", "total_ms"):
                if key in entry:
                    steps.setdefault(key, []).append(entry[key])
    return {f"renderer_{key}_p50": statistics.median(values) for key, values in steps.items()}


def summarise(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [j for j in jobs if j["status"] == "completed"]
    e2e = [_ms(j["timestamps"], "pending", "completed") for j in ok]
    out: dict[str, Any] = {
        "jobs": len(jobs),
        "completed": len(ok),
        "e2e_ms": {"p50": round(statistics.median(e2e)), "p95": round(pct(e2e, 0.95))},
    }
    if ok and "client_ms" in ok[0]:
        client = [j["client_ms"] for j in ok]
        out["client_post_to_seen_completed_ms"] = {
            "p50": round(statistics.median(client)),
            "p95": round(pct(client, 0.95)),
        }
    out["hops_ms"] = {
        name: {
            "p50": round(statistics.median(v := [_ms(j["timestamps"], a, b) for j in ok])),
            "p95": round(pct(v, 0.95)),
        }
        for name, a, b in HOPS
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--burst", type=int, default=0, help="post this many at once instead")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-quality-gate", action="store_true",
                        help="renderer without the quality gate (OCR read-back, fidelity): what it costs")
    args = parser.parse_args()
    with bench_stack() as bench:
        services = bench.start(
            ("api", "scraper", "renderer"),
            SCRAPER_WAIT_TIME_SECONDS="20",
            RENDERER_WAIT_TIME_SECONDS="20",
            PRODUCTSHOT_LOG_LEVEL="info",
            RENDERER_QUALITY_GATE=str(not args.no_quality_gate).lower(),
        )
        pages = bench.servers.pages

        def make(n: int, tag: str) -> list[str]:
            return [
                pages.add_product(f"{tag}-{i}", f"Copper Kettle {i}", "129.00", regular="159.00")
                for i in range(n)
            ]

        asyncio.run(closed_loop(bench, services.api, make(args.warmup, "warm"), 1))
        if args.burst:
            wall, jobs = asyncio.run(burst(bench, services.api, make(args.burst, "burst")))
            report = {"mode": "burst", "wall_s": round(wall, 1), **summarise(jobs)}
        else:
            jobs = asyncio.run(closed_loop(bench, services.api, make(args.jobs, "e2e"), args.concurrency))
            report = {"mode": f"closed loop, {args.concurrency} in flight", **summarise(jobs)}
        report.update(renderer_split(services.log("renderer")))
        print(json.dumps(report, indent=2))
        (RUN_DIR / f"bench-e2e-{'burst' if args.burst else 'latency'}.json").write_text(
            json.dumps(report, indent=2)
        )


if __name__ == "__main__":
    main()
