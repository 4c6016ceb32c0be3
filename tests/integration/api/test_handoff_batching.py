"""Micro-batched hand-offs on the local AWS: per-entry refusals stay per request; concurrent POSTs share calls."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.aws import AwsClients, aws_clients
from services.common.errors import QueueEntryInvalidError, QueueEntryRefusedError
from tests.integration.api.conftest import AUTH, _api
from tests.integration.conftest import purge_queues

pytestmark = pytest.mark.integration


@pytest.fixture
async def aws(aws_env: dict[str, str]) -> AsyncIterator[AwsClients]:
    async with aws_clients(aws_env["AWS_REGION"], "sqs", "events") as clients:
        yield clients


async def test_sqs_refuses_one_entry_of_a_batch_and_only_its_sender_sees_the_error(
    aws: AwsClients, boto: Any
) -> None:
    """SQS refuses a body with a control character entry by entry: the others of its batch are queued."""
    name = f"itest-batching-{uuid.uuid4().hex[:8]}"
    url = (await aws.sqs.create_queue(QueueName=name))["QueueUrl"]
    try:
        batching = SqsWorkQueue(aws.sqs, batch_size=10, linger=0.05)
        bodies = ["one", "two", "bad\u0001", "four"]
        results = await asyncio.gather(*(batching.send(name, b) for b in bodies), return_exceptions=True)
        assert batching.calls == 1 and batching.items == 4
        assert isinstance(results[2], QueueEntryInvalidError | QueueEntryRefusedError)
        assert results[2].code == "InvalidMessageContents"
        assert all(isinstance(r, str) and r for i, r in enumerate(results) if i != 2)
        got = boto.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
        assert sorted(m["Body"] for m in got) == ["four", "one", "two"]
    finally:
        await aws.sqs.delete_queue(QueueUrl=url)


async def test_eventbridge_refuses_one_entry_of_a_batch_and_only_its_publisher_sees_the_failure(
    aws: AwsClients,
) -> None:
    # Below the publisher's schema check (which would refuse "not json" before sending): its batcher.
    publisher = EventBridgePublisher(aws.events, "productshot", batch_size=10, linger=0.05)
    batching = publisher.batcher
    assert batching is not None

    def entry(detail: str) -> dict[str, Any]:
        return {"EventBusName": "productshot", "Source": "productshot.itest", "DetailType": "BatchingProbe",
                "Detail": detail, "Resources": []}

    details = ['{"n": 1}', "not json", '{"n": 3}']
    results = await asyncio.gather(*(batching.submit(entry(d)) for d in details))
    assert batching.calls == 1
    assert [1 if r.get("ErrorCode") else 0 for r in results] == [0, 1, 0]
    assert results[1]["ErrorCode"] == "MalformedDetail"
    assert results[0]["EventId"] and results[2]["EventId"]


async def test_concurrent_posts_share_batch_calls_and_every_job_is_queued_once(
    aws_env: dict[str, str], boto: Any, tmp_path: Any, request: pytest.FixtureRequest
) -> None:
    """20 simultaneous POSTs: all 202, 20 scrape requests on the queue, in fewer than 20 calls."""
    purge_queues(boto.sqs)
    services = _api(aws_env, tmp_path, request, "batching", API_HANDOFF_LINGER_MS="20")
    try:
        async with httpx.AsyncClient(base_url=services.api, headers=AUTH, timeout=20) as http:
            responses = await asyncio.gather(
                *(http.post("/v1/jobs", json={"productUrl": f"https://shop.example.com/p/{i}"}) for i in range(20))
            )
        assert [r.status_code for r in responses] == [202] * 20
        created = {r.json()["jobId"] for r in responses}
    finally:
        services.stop("api")
    url = boto.sqs.get_queue_url(QueueName="scrape-requests")["QueueUrl"]
    queued: list[str] = []
    for _ in range(10):
        got = boto.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not got:
            break
        queued.extend(json.loads(m["Body"])["jobId"] for m in got)
    assert sorted(queued) == sorted(created)
    log = services.log("api")
    counts = {
        line["api"]: (line["calls"], line["items"])
        for line in map(json.loads, re.findall(r'^\{.*"handoff_batches".*\}$', log, re.MULTILINE))
    }
    sqs_calls, sqs_items = counts["SendMessageBatch"]
    events_calls, events_items = counts["PutEvents"]
    assert sqs_items == 20 and sqs_calls < 20, counts
    assert events_items == 20 and events_calls < 20, counts
