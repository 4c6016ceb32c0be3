"""Messages that can never succeed end in the DLQ with a reason, and block nothing else."""

from __future__ import annotations

import json
from typing import Any

from tests.integration.faults.conftest import StartStack
from tests.integration.faults.harness import (
    BackgroundServers,
    assert_completed_with_image,
    dlq_messages,
    product_urls,
    read_jobs,
    submit,
    wait_drained,
    wait_final,
)


async def test_poison_messages_and_an_always_failing_page(
    stack: StartStack, servers: BackgroundServers, boto: Any
) -> None:
    """Malformed messages are dead-lettered at once; a page that always answers 503 is retried
    with backoff up to the redrive limit, then its job is failed with the last reason and its
    message dead-lettered; the healthy jobs around them complete and no queue keeps anything."""
    services = stack()
    scrape_url = boto.sqs.get_queue_url(QueueName="scrape-requests")["QueueUrl"]
    render_url = boto.sqs.get_queue_url(QueueName="render-requests")["QueueUrl"]
    boto.sqs.send_message(QueueUrl=scrape_url, MessageBody="{not json")
    boto.sqs.send_message(
        QueueUrl=render_url,
        MessageBody=json.dumps(
            {"detail-type": "ProductScraped", "detail": {"schemaVersion": 99, "jobId": "x", "attempt": 1}}
        ),
    )
    healthy = await submit(services.api, product_urls(servers.pages, 3, "poison"))
    [broken] = await submit(services.api, [f"{servers.pages.base}/fail/always"])

    jobs = await wait_final(boto.dynamodb, [*healthy, broken], within=120)
    await wait_drained(boto.sqs, ("scrape-requests", "render-requests"), within=30)

    assert_completed_with_image(boto, {j: jobs[j] for j in healthy})
    failed = jobs[broken]
    assert failed["status"] == "failed" and failed["error"]["stage"] == "scrape"
    assert "gave up after 5 attempts" in failed["error"]["reason"] and "503" in failed["error"]["reason"]
    assert servers.pages.hits["fail/always"] >= 5

    scrape_dlq = {m["Body"]: m for m in dlq_messages(boto.sqs, "scrape-requests-dlq")}
    assert set(scrape_dlq) == {"{not json", json.dumps({"schemaVersion": 1, "jobId": broken, "attempt": 1})}
    for message in scrape_dlq.values():
        assert message["MessageAttributes"]["failureReason"]["StringValue"]
    [render_dead] = dlq_messages(boto.sqs, "render-requests-dlq")
    assert "schemaVersion 99" in render_dead["MessageAttributes"]["failureReason"]["StringValue"]
    # Nothing half-done is left behind: every job is final, and stays so.
    assert all(
        j["status"] in ("completed", "failed") for j in read_jobs(boto.dynamodb, [*healthy, broken]).values()
    )
