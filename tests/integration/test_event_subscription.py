"""Other teams' view of Productshot: a rule on the bus, their own queue, our events.

A subscriber queue with a rule for ProductImageGenerated of ONE tenant receives exactly
that tenant's events from a real pipeline run, each valid against its published schema,
and the bus archive replays them.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config

from services.common.events import validate_detail
from tests.integration.conftest import Services, wait_for_status
from tests.integration.pages import PageServer

BUS = "productshot"


def _subscribe(boto: Any, name: str, pattern: dict[str, Any]) -> tuple[str, str]:
    """Create a queue and a rule routing ``pattern`` to it; returns (queue url, rule arn)."""
    url = boto.sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = boto.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    rule_arn = boto.events.put_rule(Name=name, EventBusName=BUS, EventPattern=json.dumps(pattern))["RuleArn"]
    boto.events.put_targets(Rule=name, EventBusName=BUS, Targets=[{"Id": "q", "Arn": arn}])
    return url, rule_arn


def _drain(boto: Any, url: str, want: int, timeout: float = 20) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(got) < want:
        for m in boto.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            got.append(json.loads(m["Body"]))
            boto.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    # Anything extra would arrive shortly after: look once more.
    for m in boto.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", []):
        got.append(json.loads(m["Body"]))
    return got


async def _submit(api: str, key: str, url: str) -> str:
    async with httpx.AsyncClient(base_url=api, timeout=10, headers={"Authorization": f"Bearer {key}"}) as client:
        resp = await client.post("/generative-ai-images/generate", json={"productUrl": url})
        assert resp.status_code == 202, resp.text
        job_id: str = resp.json()["jobId"]
        status = await wait_for_status(client, job_id)
        assert status["status"] == "completed", status
        return job_id


@pytest.fixture(scope="module")
def subscription_run() -> dict[str, Any]:
    """What the subscription test saw, for the replay test to replay."""
    return {}


async def test_tenant_subscription_receives_exactly_its_images(
    pipeline: Services, pages: PageServer, boto: Any, subscription_run: dict[str, Any]
) -> None:
    """A ProductImageGenerated rule for one tenant sees only that tenant's jobs, each valid against its schema."""
    suffix = uuid.uuid4().hex[:8]
    queue, rule_arn = _subscribe(boto, f"catalogue-{suffix}", {
        "source": ["productshot.renderer"], "detail-type": ["ProductImageGenerated"], "detail": {"tenant": ["itest"]},
    })
    failures, _ = _subscribe(boto, f"analytics-{suffix}", {"detail-type": ["JobFailed"]})
    started = datetime.now(UTC) - timedelta(seconds=5)
    mine = [await _submit(pipeline.api, "itest-key", pages.add_product(f"mug{i}", f"Stoneware Mug {i}", "24.00"))
            for i in range(2)]
    other = await _submit(pipeline.api, "other-key", pages.add_product("lamp", "Desk Lamp", "89.00"))

    events = _drain(boto, queue, want=len(mine))
    assert sorted(e["detail"]["jobId"] for e in events) == sorted(mine)
    assert other not in {e["detail"]["jobId"] for e in events}
    for event in events:
        assert event["source"] == "productshot.renderer" and event["detail-type"] == "ProductImageGenerated"
        validate_detail(event["detail-type"], event["detail"])
        assert event["detail"]["tenant"] == "itest"
        assert all("X-Amz-Signature" not in json.dumps(i) for i in event["detail"]["images"])
    assert _drain(boto, failures, want=0, timeout=1) == []
    subscription_run.update(queue=queue, rule_arn=rule_arn, started=started, mine=mine, events=events, suffix=suffix)


def test_archive_replays_the_tenants_events(boto: Any, subscription_run: dict[str, Any]) -> None:
    """The bus archive holds the run's events and replays them to the subscriber's rule, same event ids."""
    if not subscription_run:
        pytest.fail("the subscription test did not run first (run the module as a whole)")
    queue, rule_arn, started = subscription_run["queue"], subscription_run["rule_arn"], subscription_run["started"]
    mine, events, suffix = subscription_run["mine"], subscription_run["events"], subscription_run["suffix"]
    archive = boto.events.describe_archive(ArchiveName="productshot-archive")
    assert archive["State"] == "ENABLED" and archive["EventCount"] >= len(mine) + 1
    replay = f"replay-{suffix}"
    once = boto3.client("events", config=Config(retries={"total_max_attempts": 1}))  # a retry would hide the error
    try:
        once.start_replay(
            ReplayName=replay, EventSourceArn=archive["ArchiveArn"], EventStartTime=started,
            EventEndTime=datetime.now(UTC) + timedelta(seconds=1),
            Destination={"Arn": boto.events.describe_event_bus(Name=BUS)["Arn"], "FilterArns": [rule_arn]},
        )
    except boto.events.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] == "InternalError":
            # LocalStack 2026.3.0 (host edition) fails every StartReplay with a 500: its replay code passes
            # the archived event's time string where a datetime is expected. Real EventBridge replays.
            pytest.xfail(f"this LocalStack cannot replay archives: {exc}")
        raise
    replayed = _drain(boto, queue, want=len(mine), timeout=30)
    assert sorted(e["detail"]["jobId"] for e in replayed) == sorted(mine)
    assert {e["detail"]["eventId"] for e in replayed} == {e["detail"]["eventId"] for e in events}
