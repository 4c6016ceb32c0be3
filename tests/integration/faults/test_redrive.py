"""The redrive command: DLQ messages go back to their queue after a fix; failed jobs on request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from services.common.messages import scrape_request_body
from tests.integration.conftest import ROOT, purge_queues
from tests.integration.faults.conftest import StartStack
from tests.integration.faults.harness import (
    TABLE,
    BackgroundServers,
    assert_completed_with_image,
    dlq_messages,
    product_urls,
    read_jobs,
    submit,
    wait_drained,
    wait_final,
)


def redrive(aws_env: dict[str, str], *args: str) -> dict[str, Any]:
    env = {**os.environ, **aws_env, "PRODUCTSHOT_LOG_LEVEL": "warning"}
    out = subprocess.run(
        [sys.executable, "-m", "services.ops.redrive", "--queue", "scrape-requests", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


async def test_redrive_moves_messages_back_and_retries_failed_jobs_on_request(
    stack: StartStack, servers: BackgroundServers, boto: Any, aws_env: dict[str, str]
) -> None:
    """A plain redrive (SQS message move task) re-runs the job that is still pending and leaves
    the failed one failed (its message is a duplicate by then); ``--retry-failed`` resets the
    failed job to a new attempt, which completes; an unreadable message stays in the DLQ."""
    api = stack(("api",))
    waiting, failed = await submit(api.api, product_urls(servers.pages, 2, "redrive"))
    purge_queues(boto.sqs)
    boto.dynamodb.update_item(
        TableName=TABLE,
        Key={"jobId": {"S": failed}},
        UpdateExpression="SET #s = :f, #e = :e",
        ExpressionAttributeNames={"#s": "status", "#e": "error"},
        ExpressionAttributeValues={
            ":f": {"S": "failed"},
            ":e": {"M": {"stage": {"S": "scrape"}, "reason": {"S": "gave up after 5 attempts: shop down"}}},
        },
    )
    dlq = boto.sqs.get_queue_url(QueueName="scrape-requests-dlq")["QueueUrl"]
    for body in (scrape_request_body(waiting, 1), scrape_request_body(failed, 1), "{not json"):
        boto.sqs.send_message(QueueUrl=dlq, MessageBody=body)

    assert redrive(aws_env) == {"method": "message-move-task", "moved": 3, "retried": 0, "kept": 0}
    stack(("scraper", "renderer"))
    jobs = await wait_final(boto.dynamodb, [waiting], within=60)
    assert_completed_with_image(boto, jobs)
    await wait_drained(boto.sqs, ("scrape-requests", "render-requests"), within=30)
    assert read_jobs(boto.dynamodb, [failed])[failed]["status"] == "failed"
    assert [m["Body"] for m in dlq_messages(boto.sqs, "scrape-requests-dlq")] == ["{not json"]

    boto.sqs.send_message(QueueUrl=dlq, MessageBody=scrape_request_body(failed, 1))
    report = redrive(aws_env, "--retry-failed")
    assert (report["retried"], report["kept"], report["moved"]) == (1, 1, 0), report
    jobs = await wait_final(boto.dynamodb, [failed], within=60)
    assert_completed_with_image(boto, jobs)
    assert int(jobs[failed]["attempt"]) == 2 and "error" not in jobs[failed]
