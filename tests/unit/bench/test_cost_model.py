"""The cost model's arithmetic on a tiny measurement, by hand."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("cost_model", ROOT / "bench" / "cost_model.py")
assert _spec and _spec.loader
cost_model = importlib.util.module_from_spec(_spec)
sys.modules["cost_model"] = cost_model  # dataclasses look their module up while it loads
_spec.loader.exec_module(cost_model)
PRICES = json.loads((ROOT / "bench" / "prices_us_east_1.json").read_text())


def measured() -> dict[str, Any]:
    per_job = {
        "api": {"dynamodb.PutItem": {"requests": 1}, "sqs.SendMessageBatch": {"requests": 1},
                "eventbridge.PutEvents": {"requests": 1, "entries": 1}},
        "renderer": {"dynamodb.UpdateItem": {"requests": 4},
                     "s3.PutObject": {"requests": 2, "bytes_out:variant": 200_000},
                     "s3.GetObject": {"requests": 1}, "eventbridge.PutEvents": {"requests": 1, "entries": 1}},
    }
    return {
        "measuredAt": "test",
        "scenarios": {"facts, 1 format": {
            "kind": "facts", "formats": ["square"], "aws_per_job": per_job, "job_item_kb": 1.5,
            "cpu_ms_per_job": {"api": 10, "scraper": 0, "renderer": 70},
            "log_bytes_per_job": {"api": 500, "scraper": 0, "renderer": 500}}},
        "status_reads": {"cpu_ms_per_read": 5, "aws_per_read": {"api": {"dynamodb.GetItem": {"requests": 1}}}},
        "idle": {"aws_per_minute": {"renderer": {"sqs.ReceiveMessage": {"requests": 3}},
                                    "scraper": {"sqs.ReceiveMessage": {"requests": 3}}}},
        "memory": {"idle_rss_mb": 200, "mb_per_waiting_job": 1.0},
    }


def workload(answer_mb: float = 0.36) -> Any:
    return cost_model.Workload(0, 30.0, answer_mb, 0.5, 0.3, 10.0, 1.0, 30.0, 1.0)


def test_request_priced_parts_follow_the_measured_counts() -> None:
    """EventBridge entries, DynamoDB units by item size and S3 requests, for 1,000 jobs."""
    parts = cost_model.productshot(1000, measured(), "facts, 1 format", workload(), PRICES)
    assert parts["EventBridge"] == pytest.approx(2 * 1000 * PRICES["eventbridge_per_million_events"] / 1e6)
    # 5 writes of a 1.5 KB item = 2 write units each; 10 consistent reads of it = 1 read unit each.
    assert parts["DynamoDB"] == pytest.approx(
        (5 * 2 * 1000 * PRICES["dynamodb_per_million_wru"] + 10 * 1000 * PRICES["dynamodb_per_million_rru"]) / 1e6)
    assert parts["S3 requests"] == pytest.approx(
        1000 * (2 * PRICES["s3_put_per_thousand"] + PRICES["s3_get_per_thousand"]) / 1000)


def test_the_model_answer_crosses_the_nat_gateway_so_a_jpeg_scene_costs_less() -> None:
    """NAT data is the model's answer for a facts job (no page fetched): PNG vs JPEG scales it."""
    png = cost_model.productshot(1_000_000, measured(), "facts, 1 format", workload(2.29), PRICES)
    jpeg = cost_model.productshot(1_000_000, measured(), "facts, 1 format", workload(0.36), PRICES)
    hours = cost_model.NAT_GATEWAYS * PRICES["nat_hour"] * 24
    assert png["NAT (hours + data)"] - hours == pytest.approx(1_000_000 * 2.29 / 1000 * PRICES["nat_per_gb"])
    assert jpeg["NAT (hours + data)"] < png["NAT (hours + data)"] / 2


def test_idle_costs_only_the_floor_of_tasks_and_fixed_resources() -> None:
    """No traffic: minimum tasks, the ALB and NAT hours, and the workers' empty long polls."""
    parts = cost_model.productshot(0, measured(), "facts, 1 format", workload(), PRICES)
    tasks = cost_model.TASKS
    floor = sum(n * (v * PRICES["fargate_vcpu_hour"] + g * PRICES["fargate_gb_hour"]) * 24
                for v, g, n in tasks.values())
    assert parts["Fargate tasks"] == pytest.approx(floor)
    assert parts["EventBridge"] == 0 and parts["S3 storage"] == 0
    assert parts["SQS"] == pytest.approx(1440 * 3 * 2 * PRICES["sqs_per_million_requests"] / 1e6)


def test_the_original_design_bills_its_render_lambda_through_the_model_wait() -> None:
    """30 s of model plus 70 ms of render at 1.5 GB, per image."""
    parts = cost_model.original(1000, measured(), "facts, 1 format", workload(), PRICES)
    expected = 1000 * 30.07 * 1.5 * PRICES["lambda_gb_second"] + 1000 * PRICES["lambda_per_million_requests"] / 1e6
    assert parts["Lambda (billed through the model wait)"] == pytest.approx(expected)
