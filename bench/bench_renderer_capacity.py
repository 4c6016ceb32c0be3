"""One renderer process, a slow image model: how long 100 jobs take and the peak memory.

    LOCALSTACK_PORT=4766 MOTO_PORT=4767 RUN_DIR=.run-faults \\
        .venv/bin/python bench/bench_renderer_capacity.py [--jobs 100] [--latency 5] [--in-flight 100]

Target (issue 4): 100 jobs in <= 15 s with <= 400 MB peak RSS at 5 s model latency.
The jobs are written ``scraped`` (product facts, no photo: the prompt-only path, so the
local image server's own Pillow work stays out of the figure) and their ProductScraped
envelopes are put on render-requests at once after the renderer is up. Time runs from
that moment until the last job's ``completed`` timestamp (polled once a second: moto
answers one call at a time, so a tight poll would slow the renderer); the peak RSS is
the renderer's VmHWM.
``--in-flight`` sets RENDERER_MAX_IN_FLIGHT and RENDERER_MAX_CONCURRENCY: with 5 s per
call, finishing 100 jobs in 15 s needs most of them waiting on the model at once.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from stack import RUN_DIR, Bench, bench_stack  # type: ignore[import-not-found]

from services.common.events import DetailType, build_detail  # noqa: E402
from services.common.job import Job, JobOptions  # noqa: E402
from services.common.job_states import JobStatus  # noqa: E402

_SER = TypeSerializer()


def _item(job: Job) -> dict[str, Any]:
    plain = json.loads(json.dumps(job.to_item()), parse_float=Decimal)
    return {k: _SER.serialize(v) for k, v in plain.items()}


def make_jobs(bench: Bench, n: int) -> list[Job]:
    jobs = []
    for i in range(n):
        job = Job.new(
            ttl_hours=1,
            status=JobStatus.SCRAPED,
            productUrl=f"https://shop.example/p/{i}",
            options=JobOptions(),
            product={
                "name": f"Copper Kettle 1.5 L no. {i}",
                "price": "129.00",
                "currency": "USD",
                "regularPrice": "159.00",
                "brand": "Northwind",
            },
        )
        bench.dynamodb.put_item(TableName="productshot-jobs", Item=_item(job))
        jobs.append(job)
    return jobs


def enqueue(bench: Bench, jobs: list[Job]) -> None:
    url = bench.sqs.get_queue_url(QueueName="render-requests")["QueueUrl"]
    for i in range(0, len(jobs), 10):
        entries = [
            {
                "Id": str(k),
                "MessageBody": json.dumps(
                    {
                        "version": "0",
                        "id": job.jobId,
                        "detail-type": "ProductScraped",
                        "source": "productshot.scraper",
                        "detail": build_detail(DetailType.PRODUCT_SCRAPED, job, {"product": job.product}),
                    }
                ),
            }
            for k, job in enumerate(jobs[i : i + 10])
        ]
        bench.sqs.send_message_batch(QueueUrl=url, Entries=entries)


def completed(bench: Bench, jobs: list[Job]) -> list[datetime]:
    """When each completed job was completed (the store's own timestamp)."""
    done = []
    for i in range(0, len(jobs), 100):
        keys = [{"jobId": {"S": j.jobId}} for j in jobs[i : i + 100]]
        result = bench.dynamodb.batch_get_item(
            RequestItems={
                "productshot-jobs": {
                    "Keys": keys,
                    "ConsistentRead": True,
                    "ProjectionExpression": "#s, #t.#c",
                    "ExpressionAttributeNames": {"#s": "status", "#t": "timestamps", "#c": "completed"},
                }
            }
        )
        done += [
            datetime.fromisoformat(item["timestamps"]["M"]["completed"]["S"])
            for item in result["Responses"]["productshot-jobs"]
            if item["status"]["S"] == "completed" and "completed" in item.get("timestamps", {}).get("M", {})
        ]
    return done


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, default=100)
    parser.add_argument("--latency", type=float, default=5.0)
    parser.add_argument("--in-flight", type=int, default=100)
    parser.add_argument("--no-quality-gate", action="store_true",
                        help="renderer without the quality gate (OCR read-back, fidelity): what it costs")
    args = parser.parse_args()
    with bench_stack() as bench:
        bench.servers.image_control(latency=args.latency)
        health = Path(bench._tmp) / "renderer.health"  # written by the renderer's first poll
        services = bench.start(
            ("renderer",),
            RENDERER_MAX_IN_FLIGHT=str(args.in_flight),
            RENDERER_MAX_CONCURRENCY=str(args.in_flight),
            RENDERER_HEALTH_FILE=str(health),
            RENDERER_QUALITY_GATE=str(not args.no_quality_gate).lower(),
        )
        for _ in range(300):
            if health.exists():
                break
            time.sleep(0.1)
        jobs = make_jobs(bench, args.jobs)
        started = datetime.now(UTC)
        enqueue(bench, jobs)
        # Polled gently (moto answers one call at a time: a tight poll would slow the
        # renderer's own writes); the wall time is the last job's completion timestamp.
        while len(done := completed(bench, jobs)) < len(jobs):
            if (datetime.now(UTC) - started).total_seconds() > 300:
                break
            time.sleep(1.0)
        elapsed = ((max(done) if done else datetime.now(UTC)) - started).total_seconds()
        report = {
            "jobs": len(jobs),
            "completed": len(done),
            "model_latency_s": args.latency,
            "in_flight": args.in_flight,
            "wall_s": round(elapsed, 1),
            "peak_rss_mb": round(peak_rss_mb(services.procs["renderer"].pid)),
            "image_api_max_in_flight": bench.servers.image_stats()["max_in_flight"],
            "target": "<= 15 s, <= 400 MB",
        }
        print(json.dumps(report, indent=2))
        (RUN_DIR / "bench-renderer-capacity.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
