"""Waiting its turn at a busy shop host is a deferral, not a failed receive."""

from __future__ import annotations

import json

from services.common.consumer import QueueMessage, SqsConsumer
from services.common.errors import DeferredError
from services.common.queue_message import DEFERRALS, MAX_DEFERRALS
from tests.unit.common.test_consumer import ScriptedHandler, config, run_until, work_queue


def _busy_until(turns: int) -> ScriptedHandler:
    """A handler whose message waits ``turns`` times for its turn, then succeeds."""
    waits = {"left": turns}

    async def busy(_: QueueMessage) -> None:
        if waits["left"] > 0:
            waits["left"] -= 1
            raise DeferredError("shop busy: our own pace", retry_after=0.2)

    return ScriptedHandler({"busy": busy})


async def test_a_deferred_message_is_sent_again_delayed_and_uses_no_receive() -> None:
    """Six waits at max_receive_count 3: the job still succeeds, each copy a fresh message
    (receive count 1) carrying the deferral count, nothing dead-lettered or failed."""
    sqs, handler = work_queue(), _busy_until(6)
    sqs.put(json.dumps({"do": "busy"}))
    await run_until(SqsConsumer(sqs, handler, config()), lambda: len(handler.handled) == 1, within=15)
    assert handler.failures == [] and sqs.queues["work-dlq"] == []
    assert len(sqs.sent) == 6 and sqs.queues["work"] == []
    assert len(sqs.deleted) == 7  # six deferred copies and the one that succeeded
    assert sqs.visibility_calls == []  # no ChangeMessageVisibility: the receives were never used


async def test_deferrals_are_bounded_then_count_as_receives() -> None:
    """A message already deferred MAX_DEFERRALS times is retried the usual way (visibility delay)."""
    sqs, handler = work_queue(), _busy_until(1)
    mid = sqs.put(json.dumps({"do": "busy"}), attributes={DEFERRALS: str(MAX_DEFERRALS)})
    await run_until(SqsConsumer(sqs, handler, config(backoff_base=0.01)), lambda: len(handler.handled) == 1)
    assert sqs.sent == []
    assert [m for m, _ in sqs.visibility_calls] == [mid]
