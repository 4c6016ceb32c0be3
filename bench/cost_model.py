"""What Productshot costs on AWS per 1,000 images, the image model's own price left out.

    .venv/bin/python bench/cost_model.py [--measured FILE] [--prices bench/prices_us_east_1.json]
        [--scenario "url, 1 format"] [--model-latency 30] [--model-output jpeg|png] [--json]

It reads what ``bench/bench_job_cost.py`` measured for one job (AWS requests per operation,
DynamoDB item size, S3 bytes, CPU per service, log bytes, idle polls, renderer memory per
waiting job) and a price table (region and date inside), and prints the cost split by part for
three loads: idle (per day), 10,000 and 1,000,000 images a day (per 1,000 images), next to the
original design (API Gateway + one Lambda per stage + SQS + DynamoDB + S3, the render Lambda
billed for the whole model wait) priced from the same measurements and table.
Assumptions that cannot be measured here (the model's latency and answer size, the size of a
real shop page) are flags, printed with the result. Formulas: docs/capacity.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUN_DIR = Path(os.environ.get("RUN_DIR", ROOT / ".run"))
LOADS = {"idle": 0, "10k/day": 10_000, "1M/day": 1_000_000}
# What a gpt-image model answers for one 1024x1024 scene, base64 in JSON: the median of
# photographs encoded each way (bench/bench_scene_bytes.py, figures in docs/capacity.md).
MODEL_ANSWER_MB = {"png": 2.29, "jpeg": 0.36, "webp": 0.29}
WRITES = {"PutItem", "UpdateItem", "DeleteItem"}
READS = {"GetItem", "Query"}
# Task sizes and floors: infra/terraform/variables.tf (var.services) defaults.
TASKS = {"api": (0.5, 1.0, 2), "scraper": (0.5, 1.0, 1), "renderer": (1.0, 2.0, 1)}
CPU_TARGET = 0.6  # the autoscaling target: tasks run at most 60% busy on average
RENDERER_IN_FLIGHT = 100  # RENDERER_MAX_IN_FLIGHT per task
SCRAPER_IN_FLIGHT, SCRAPE_SECONDS = 10, 2.0  # SCRAPER_MAX_IN_FLIGHT; a real page fetch + extract
NAT_GATEWAYS, AZS = 2, 2  # production: one NAT gateway per AZ


@dataclass(frozen=True)
class Workload:
    images_per_day: float
    model_latency_s: float
    model_answer_mb: float
    page_mb: float  # a real product page's HTML (the development set's median is ~0.5 MB)
    photo_mb: float  # the product photo, fetched and sent with the edit request
    status_reads_per_job: float
    retention_days: float  # S3 lifecycle on jobs/: the job's TTL (docs/reliability.md)
    log_retention_days: float
    downloads_per_image: float


def ops(per_job: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """The per-service figures summed per operation."""
    total: dict[str, dict[str, float]] = {}
    for service_ops in per_job.values():
        for op, fields in service_ops.items():
            into = total.setdefault(op, {})
            for name, value in fields.items():
                into[name] = into.get(name, 0.0) + value
    return total


def requests(table: dict[str, dict[str, float]], service: str, names: set[str] | None = None) -> float:
    return sum(f.get("requests", f.get("calls", 0.0)) for op, f in table.items()
               if op.split(".")[0] == service and (names is None or op.split(".")[1] in names))


def tasks_needed(rate: float, m: dict[str, Any], scenario: dict[str, Any], w: Workload) -> dict[str, int]:
    """Tasks per service at ``rate`` images/s: enough CPU at the target, in-flight slots and memory."""
    reads = m["status_reads"]
    cpu_s = {
        "api": (scenario["cpu_ms_per_job"]["api"] + w.status_reads_per_job * reads["cpu_ms_per_read"]) / 1000,
        "scraper": scenario["cpu_ms_per_job"]["scraper"] / 1000,
        "renderer": scenario["cpu_ms_per_job"]["renderer"] / 1000,
    }
    memory = m["memory"]
    per_task_slots = min(RENDERER_IN_FLIGHT, int((TASKS["renderer"][1] * 1024 * 0.8 - memory["idle_rss_mb"])
                                                  / max(memory["mb_per_waiting_job"], 0.01)))
    out = {}
    for service, (vcpu, _gb, floor) in TASKS.items():
        by_cpu = rate * cpu_s[service] / (vcpu * CPU_TARGET)
        by_slots = 0.0
        if service == "renderer":
            by_slots = rate * (w.model_latency_s + 1) / per_task_slots
        elif service == "scraper" and scenario["kind"] == "url":
            by_slots = rate * SCRAPE_SECONDS / SCRAPER_IN_FLIGHT
        out[service] = max(floor, math.ceil(max(by_cpu, by_slots)))
    return out


def productshot(per_day: float, m: dict[str, Any], name: str, w: Workload, p: dict[str, float]) -> dict[str, float]:
    """Dollars per day, by part, at ``per_day`` images a day."""
    scenario = m["scenarios"][name]
    table = ops(scenario["aws_per_job"])
    idle = ops(m["idle"]["aws_per_minute"])
    reads = ops(m["status_reads"]["aws_per_read"])
    rate = per_day / 86_400
    tasks = tasks_needed(rate, m, scenario, w)
    fargate = sum(n * (TASKS[s][0] * p["fargate_vcpu_hour"] + TASKS[s][1] * p["fargate_gb_hour"]) * 24
                  for s, n in tasks.items())
    worker_tasks = tasks["scraper"] + tasks["renderer"]
    sqs_requests = per_day * requests(table, "sqs") + 1440 * requests(idle, "sqs") / 2 * worker_tasks
    item_kb = scenario["job_item_kb"]
    dynamo_writes = per_day * requests(table, "dynamodb", WRITES)
    dynamo_reads = per_day * (requests(table, "dynamodb", READS) + w.status_reads_per_job
                              * requests(reads, "dynamodb", READS))
    puts = table.get("s3.PutObject", {})
    # The local image server's flat scenes and the shop's test photo compress far better than
    # photographs: stored scenes and photos are priced at photographic sizes instead.
    variants_mb = puts.get("bytes_out:variant", 0.0) / 1e6
    stored_mb = variants_mb + w.model_answer_mb * 3 / 4 + (w.photo_mb if scenario["kind"] == "url" else 0.0)
    image_mb = variants_mb / max(1, len(scenario["formats"]))
    gets = requests(table, "s3", {"GetObject", "HeadObject"})
    api_requests = per_day * (1 + w.status_reads_per_job)
    fetched_mb = (w.page_mb + w.photo_mb) if scenario["kind"] == "url" else 0.0
    nat_gb = per_day * (fetched_mb + w.photo_mb * (scenario["kind"] == "url") + w.model_answer_mb) / 1000
    log_gb = (per_day * sum(scenario["log_bytes_per_job"].values())) / 1e9
    lcu = max(1.0, api_requests / 86_400 / 25)  # new connections per second dominate here
    return {
        "Fargate tasks": fargate,
        "SQS": sqs_requests * p["sqs_per_million_requests"] / 1e6,
        "EventBridge": per_day * ops_field(table, "eventbridge", "entries") * p["eventbridge_per_million_events"] / 1e6,
        "DynamoDB": (dynamo_writes * math.ceil(item_kb) * p["dynamodb_per_million_wru"]
                     + dynamo_reads * math.ceil(item_kb / 4) * p["dynamodb_per_million_rru"]) / 1e6,
        "S3 requests": per_day * (requests(table, "s3", {"PutObject"}) * p["s3_put_per_thousand"]
                                  + gets * p["s3_get_per_thousand"]) / 1000,
        "S3 storage": per_day * w.retention_days * stored_mb / 1000 * p["s3_gb_month"] / 30,
        "S3 egress (downloads)": per_day * w.downloads_per_image * image_mb / 1000 * p["internet_egress_per_gb"],
        "ALB": (p["alb_hour"] + lcu * p["alb_lcu_hour"]) * 24,
        "NAT (hours + data)": NAT_GATEWAYS * p["nat_hour"] * 24 + nat_gb * p["nat_per_gb"],
        "CloudWatch Logs": log_gb * (p["cloudwatch_logs_ingest_per_gb"]
                                     + p["cloudwatch_logs_gb_month"] * w.log_retention_days / 30),
    }


def ops_field(table: dict[str, dict[str, float]], service: str, field: str) -> float:
    return sum(f.get(field, 0.0) for op, f in table.items() if op.split(".")[0] == service)


def original(per_day: float, m: dict[str, Any], name: str, w: Workload, p: dict[str, float]) -> dict[str, float]:
    """The seed's shape on the same table: API Gateway, a Lambda per stage, no NAT, no idle tasks."""
    ours = productshot(per_day, m, name, w, p)
    scenario = m["scenarios"][name]
    scrape_s = SCRAPE_SECONDS if scenario["kind"] == "url" else 0.0
    render_s = w.model_latency_s + scenario["cpu_ms_per_job"]["renderer"] / 1000
    lambda_gb_s = per_day * (scrape_s * 1.0 + render_s * 1.5)  # 1 GB scraper, 1.5 GB renderer
    invocations = per_day * (2 if scenario["kind"] == "url" else 1)
    return {
        "API Gateway (REST)": per_day * (1 + w.status_reads_per_job) * p["api_gateway_rest_per_million"] / 1e6,
        "Lambda (billed through the model wait)": lambda_gb_s * p["lambda_gb_second"]
        + invocations * p["lambda_per_million_requests"] / 1e6,
        **{k: ours[k] for k in ("SQS", "EventBridge", "DynamoDB", "S3 requests", "S3 storage",
                                "S3 egress (downloads)", "CloudWatch Logs")},
    }


Columns = dict[str, dict[str, float]]


def table_for(model: Any, m: dict[str, Any], name: str, w: Workload, p: dict[str, float]) -> Columns:
    columns: dict[str, dict[str, float]] = {}
    for label, per_day in LOADS.items():
        parts = model(per_day, m, name, w, p)
        columns[label] = {k: v if per_day == 0 else v / per_day * 1000 for k, v in parts.items()}
    return columns


def show(title: str, columns: Columns) -> None:
    labels = list(columns)
    print(f"\n{title}\n{'part':40s}" + "".join(f"{h:>16s}" for h in ("idle $/day", "10k $/1000 img", "1M $/1000 img")))
    for part in columns[labels[0]]:
        print(f"{part:40s}" + "".join(f"{columns[label][part]:16.4f}" for label in labels))
    print(f"{'total':40s}" + "".join(f"{sum(columns[label].values()):16.4f}" for label in labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--measured", type=Path, default=RUN_DIR / "bench-job-cost.json")
    parser.add_argument("--prices", type=Path, default=ROOT / "bench" / "prices_us_east_1.json")
    parser.add_argument("--scenario", default="url, 1 format")
    parser.add_argument("--model-latency", type=float, default=30.0, help="seconds per scene (20-60 s seen)")
    parser.add_argument("--model-output", choices=sorted(MODEL_ANSWER_MB), default=None,
                        help="what the model is asked for (default: what the measured run asked for)")
    parser.add_argument("--page-mb", type=float, default=0.5)
    parser.add_argument("--photo-mb", type=float, default=0.3)
    parser.add_argument("--status-reads", type=float, default=10.0, help="GET /v1/jobs/{id} per job (polling)")
    parser.add_argument("--retention-days", type=float, default=1.0, help="S3 lifecycle of jobs/ (the job TTL)")
    parser.add_argument("--log-retention-days", type=float, default=30.0)
    parser.add_argument("--downloads", type=float, default=1.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    measured = json.loads(args.measured.read_text())
    prices = json.loads(args.prices.read_text())
    output = args.model_output or measured.get("model_output", "png")
    workload = Workload(0, args.model_latency, MODEL_ANSWER_MB[output], args.page_mb, args.photo_mb,
                        args.status_reads, args.retention_days, args.log_retention_days, args.downloads)
    ours = table_for(productshot, measured, args.scenario, workload, prices)
    seed = table_for(original, measured, args.scenario, workload, prices)
    if args.json:
        print(json.dumps({"productshot": ours, "original": seed, "prices": prices, "workload": vars(workload),
                          "model_output": output}, indent=2))
        return
    print(f"prices: {prices['region']}, read {prices['read']} ({args.prices.name}); measured {measured['measuredAt']}")
    print(f"scenario {args.scenario!r}; model {args.model_latency:g} s, answers {output} "
          f"(~{MODEL_ANSWER_MB[output]} MB); page {args.page_mb} MB; {args.status_reads:g} status reads per job")
    show("Productshot (Fargate, ALB, NAT)", ours)
    show("original design (API Gateway + Lambda per stage)", seed)
    rate = 1_000_000 / 86_400
    peak = tasks_needed(rate * 5, measured, measured["scenarios"][args.scenario], workload)
    print(f"\ntasks at 1M/day: {tasks_needed(rate, measured, measured['scenarios'][args.scenario], workload)}"
          f", at a 5x peak: {peak}")


if __name__ == "__main__":
    main()
