"""The batch sweep on the local AWS with the real batch worker: a stalled batch is nudged and
its row released; one nudged to the limit has its queued rows failed and completes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from services.common.adapters.dynamo_batch_store import DynamoBatchStore
from services.common.aws import aws_clients
from services.common.batch import Batch, plan_items
from services.common.settings import CommonSettings
from tests.integration.conftest import (
    ROOT,
    Services,
    log_dir_for,
    purge_queues,
    service_env,
    start_services,
)

pytestmark = pytest.mark.integration
OLD = "2026-01-01T00:00:00.000Z"


@pytest.fixture(scope="module")
def batcher(aws_env: dict[str, str], boto: Any, tmp_path_factory: pytest.TempPathFactory,
            request: pytest.FixtureRequest) -> Iterator[Services]:
    purge_queues(boto.sqs)
    tmp = tmp_path_factory.mktemp("batcher")
    services = start_services(service_env(aws_env, tmp), log_dir_for(request), names=("batcher",))
    yield services
    services.stop("batcher")


async def _stalled(aws_env: dict[str, str], urls: list[str]) -> str:
    """A running batch of ``urls`` (all rows queued) of a tenant of its own; its id."""
    batch = Batch(str(uuid.uuid4()), f"sweep-{uuid.uuid4().hex[:8]}", "running", OLD, OLD,
                  "2099-01-01T00:00:00.000Z")
    async with aws_clients(aws_env["AWS_REGION"], "dynamodb") as aws:
        store = DynamoBatchStore(aws.dynamodb, CommonSettings().batches_table)
        await store.create(batch)
        await store.add_items(batch.batchId, plan_items(batch.batchId, [{"productUrl": u} for u in urls], {}),
                              source_cursor=None)
    return batch.batchId


def _set_head(boto: Any, batch_id: str, expression: str, values: dict[str, Any]) -> None:
    boto.dynamodb.update_item(TableName=CommonSettings().batches_table,
                              Key={"batchId": {"S": batch_id}, "sk": {"S": "#batch"}},
                              UpdateExpression=expression, ExpressionAttributeValues=values)


def _read(boto: Any, batch_id: str) -> list[dict[str, Any]]:
    return boto.dynamodb.query(TableName=CommonSettings().batches_table, KeyConditionExpression="batchId = :b",
                               ExpressionAttributeValues={":b": {"S": batch_id}}, ConsistentRead=True)["Items"]


def _sweep(aws_env: dict[str, str], *args: str) -> dict[str, Any]:
    env = {**os.environ, **aws_env, "PRODUCTSHOT_LOG_LEVEL": "warning"}
    out = subprocess.run([sys.executable, "-m", "services.sweeper", "--once", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


async def _until(check: Any, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the batch worker did not act in time")
        await asyncio.sleep(0.2)


async def test_a_stalled_batch_is_released_and_one_nudged_to_the_limit_completes_with_failed_rows(
    batcher: Services, boto: Any, aws_env: dict[str, str]
) -> None:
    """Two running batches nothing moved for long, their tenants with nothing in flight: the
    one never nudged gets ``release`` and the worker starts its row (its job exists, the row is
    pending, the nudge count is gone); the one already nudged to ``--max-redrives`` gets
    ``fail_queued``: its rows fail with the public reason and it completes."""
    released = await _stalled(aws_env, ["http://127.0.0.1:9/p/released"])
    given_up = await _stalled(aws_env, ["http://127.0.0.1:9/p/a", "http://127.0.0.1:9/p/b"])
    for batch_id in (released, given_up):
        _set_head(boto, batch_id, "SET updatedAt = :old", {":old": {"S": OLD}})
    _set_head(boto, given_up, "SET releaseNudges = :n", {":n": {"N": "1"}})

    summary = _sweep(aws_env, "--stuck-after", "60", "--max-redrives", "1", "--give-up-after", "1e9")
    assert summary["batches"]["nudged"] >= 1 and summary["batches"]["failed"] >= 1, summary

    def rows_of(batch_id: str) -> list[dict[str, Any]]:
        return [i for i in _read(boto, batch_id) if i["sk"]["S"].startswith("item#")]

    await _until(lambda: all(r["status"]["S"] != "queued" for b in (released, given_up) for r in rows_of(b)))
    (row,) = rows_of(released)
    assert row["status"]["S"] == "pending" and "queuedIn" not in row
    job = boto.dynamodb.get_item(TableName=CommonSettings().jobs_table, Key={"jobId": row["jobId"]})["Item"]
    assert job["batchId"]["S"] == released
    head = next(i for i in _read(boto, released) if i["sk"]["S"] == "#batch")
    assert head["status"]["S"] == "running" and "releaseNudges" not in head  # the row's move cleared it

    failed = rows_of(given_up)
    assert {(r["status"]["S"], r["errorCode"]["S"]) for r in failed} == {("failed", "timed_out")}
    assert all("could not be started" in r["error"]["S"] for r in failed)
    await _until(lambda: next(i for i in _read(boto, given_up) if i["sk"]["S"] == "#batch")["status"]["S"]
                 == "completed")
    assert "batches" in _sweep(aws_env, "--stuck-after", "60")  # nothing of these two is stalled now
