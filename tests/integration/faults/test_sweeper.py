"""The sweeper: jobs whose message or event was lost are re-driven; hopeless ones are failed."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

from tests.integration.conftest import ROOT, purge_queues
from tests.integration.faults.conftest import StartStack
from tests.integration.faults.harness import (
    TABLE,
    BackgroundServers,
    assert_completed_with_image,
    product_urls,
    read_jobs,
    submit,
    wait_final,
)


def sweeps(aws_env: dict[str, str], *args: str, copies: int = 1) -> list[dict[str, int]]:
    """Run ``copies`` one-shot sweepers at the same time; their summaries."""
    env = {**os.environ, **aws_env, "PRODUCTSHOT_LOG_LEVEL": "warning"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "services.sweeper", "--once", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(copies)
    ]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    return [dict(json.loads(out.strip().splitlines()[-1])) for out in outs]


async def _until_status(boto: Any, job_ids: list[str], status: str) -> None:
    for _ in range(300):
        if all(j["status"] == status for j in read_jobs(boto.dynamodb, job_ids).values()):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"jobs never reached {status}")


_UNFINISHED = ["pending", "scraping", "scraped", "rendering"]


def _settle_leftovers(dynamodb: Any) -> None:
    """The sweeper acts on the whole table: fail what earlier test modules left unfinished,
    so this test's counts are about its own jobs only."""
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=TABLE, ProjectionExpression="jobId, #s", ExpressionAttributeNames={"#s": "status"},
        FilterExpression="#s IN (:a, :b, :c, :d)",
        ExpressionAttributeValues={f":{k}": {"S": v} for k, v in zip("abcd", _UNFINISHED, strict=True)},
    )
    for page in pages:
        for item in page.get("Items", []):
            dynamodb.update_item(TableName=TABLE, Key={"jobId": item["jobId"]}, UpdateExpression="SET #s = :f",
                                 ExpressionAttributeNames={"#s": "status"},
                                 ExpressionAttributeValues={":f": {"S": "failed"}})


async def test_sweeper_redrives_lost_work_and_fails_what_cannot_finish(
    stack: StartStack, servers: BackgroundServers, boto: Any, aws_env: dict[str, str]
) -> None:
    """A job whose scrape request was lost (pending) and one whose ProductScraped was lost
    (scraped) are re-driven and complete; one already re-driven to the limit is failed with a
    readable reason. Two sweepers running at once act on each job once between them."""
    _settle_leftovers(boto.dynamodb)
    first = stack(("api", "scraper"))
    scraped = await submit(first.api, product_urls(servers.pages, 2, "sweep-scraped"))
    await _until_status(boto, scraped, "scraped")
    first.stop("scraper")
    pending = await submit(first.api, product_urls(servers.pages, 2, "sweep-pending"))
    hopeless = pending.pop()
    boto.dynamodb.update_item(
        TableName=TABLE,
        Key={"jobId": {"S": hopeless}},
        UpdateExpression="SET redrives = :n",
        ExpressionAttributeValues={":n": {"N": "3"}},
    )
    purge_queues(boto.sqs)  # the messages and events that would have moved them on are lost
    await asyncio.sleep(1.5)

    stack(("scraper", "renderer"))
    reports = sweeps(aws_env, "--stuck-after", "1", "--max-redrives", "3", copies=2)
    assert sum(r["redriven"] for r in reports) == 3 and sum(r["failed"] for r in reports) == 1, reports

    jobs = await wait_final(boto.dynamodb, [*scraped, *pending, hopeless], within=60)
    assert_completed_with_image(boto, {j: jobs[j] for j in [*scraped, *pending]})
    failed = jobs[hopeless]
    assert failed["status"] == "failed" and failed["error"]["stage"] == "queued"
    assert "re-drives without progress" in failed["error"]["reason"]
    assert servers.generations() == len(scraped) + len(pending)
