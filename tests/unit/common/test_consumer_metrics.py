"""What the consumer runtime reports as metrics: queue wait and in flight at receive,
retries by reason, dead letters (against the in-memory work queue)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from localdev.stats import Sample, read_samples
from services.common.consumer import SqsConsumer
from services.common.metrics import configure_metrics, reset_metrics
from tests.unit.common.test_consumer import ScriptedHandler, body, config, ok, run_until, transient, work_queue


@pytest.fixture
def lines() -> Iterator[list[str]]:
    out: list[str] = []
    configure_metrics("scraper", sink=out.append)
    yield out
    reset_metrics()


def _named(lines: list[str], name: str) -> list[Sample]:
    return [s for s in read_samples(lines) if s.name == name]


async def test_each_received_message_reports_its_age_and_the_batch_its_in_flight_count(lines: list[str]) -> None:
    """QueueWait per message (ms since it was sent, with its id) and InFlight per receive."""
    sqs, handler = work_queue(), ScriptedHandler({"ok": ok})
    ids = [sqs.put(body("ok")) for _ in range(3)]
    for message in sqs.queues["work"]:
        message.sent_at -= 2.0  # sent two seconds ago
    await run_until(SqsConsumer(sqs, handler, config()), lambda: len(sqs.deleted) == 3)
    waits = _named(lines, "QueueWait")
    assert sorted(str(s.properties["messageId"]) for s in waits) == sorted(ids)
    assert all(2000 <= s.value < 7000 and s.dimensions == {"service": "scraper", "queue": "work"} for s in waits)
    in_flight = _named(lines, "InFlight")
    assert in_flight and max(s.value for s in in_flight) == 3


async def test_retries_count_by_reason_and_the_last_failure_is_dead_lettered(lines: list[str]) -> None:
    """Two retries (TransientError) then one dead letter, for a message allowed three receives."""
    sqs, handler = work_queue(), ScriptedHandler({"flaky": transient})
    sqs.put(body("flaky"))
    await run_until(SqsConsumer(sqs, handler, config()), lambda: bool(sqs.queues["work-dlq"]))
    retries = _named(lines, "MessageRetries")
    assert [(s.value, s.dimensions["reason"]) for s in retries] == [(1, "TransientError")] * 2
    [dead] = _named(lines, "DeadLettered")
    assert dead.dimensions == {"service": "scraper", "queue": "work"}
    assert all(json.loads(line)["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Productshot" for line in lines)
