"""At-least-once delivery: every message arriving twice changes nothing visible."""

from __future__ import annotations

from typing import Any

from services.common.messages import scrape_request_body
from tests.integration.faults.conftest import StartStack
from tests.integration.faults.harness import (
    BackgroundServers,
    assert_completed_with_image,
    bus_rule,
    product_urls,
    submit,
    wait_drained,
    wait_final,
)

N = 8


async def test_every_message_delivered_twice(
    stack: StartStack, servers: BackgroundServers, boto: Any
) -> None:
    """Each scrape request is sent twice and a second rule routes every ProductScraped into the
    render queue again: N jobs still give N images, N paid generations and N completion events."""
    with (
        bus_rule(boto, "ProductImageGenerated", "productshot.renderer") as completions,
        bus_rule(boto, "ProductScraped", "productshot.scraper", target_queue="render-requests"),
    ):
        services = stack()
        scrape_url = boto.sqs.get_queue_url(QueueName="scrape-requests")["QueueUrl"]
        job_ids = await submit(services.api, product_urls(servers.pages, N, "dup"))
        for job_id in job_ids:  # the duplicate of every scrape request
            boto.sqs.send_message(QueueUrl=scrape_url, MessageBody=scrape_request_body(job_id, 1))
        jobs = await wait_final(boto.dynamodb, job_ids, within=90)
        # Duplicates that met a live lease come back after it; wait until they are all settled.
        await wait_drained(boto.sqs, ("scrape-requests", "render-requests"), within=60)
        events = completions.drain()

    assert_completed_with_image(boto, jobs)
    assert servers.generations() == N
    assert sorted(e["detail"]["jobId"] for e in events) == sorted(job_ids)
    assert len({e["detail"]["eventId"] for e in events}) == N
    for name in ("scraper", "renderer"):
        assert services.procs[name].poll() is None, services.log(name)
