"""Batch actions on batch-work: the body the API and the worker send, and what the worker reads."""

from __future__ import annotations

import json

import pytest

from services.common.batch_messages import BATCH_ACTIONS, batch_action_body, parse_batch_action
from services.common.errors import MalformedMessageError


@pytest.mark.parametrize("action", BATCH_ACTIONS)
def test_an_action_body_reads_back(action: str) -> None:
    """Every action's body is the contract's JSON and parses back to (batchId, action)."""
    body = json.loads(batch_action_body("b-1", action))
    assert body == {"schemaVersion": 1, "batchId": "b-1", "action": action}
    assert parse_batch_action(body) == ("b-1", action)


def test_a_job_event_is_not_a_batch_action() -> None:
    """The EventBridge envelope of a job event on the same queue answers None."""
    assert parse_batch_action({"detail-type": "JobFailed", "detail": {"batchId": "b-1"}}) is None


@pytest.mark.parametrize("body", [
    {"schemaVersion": 2, "batchId": "b-1", "action": "start"},
    {"schemaVersion": 1, "batchId": "", "action": "start"},
    {"schemaVersion": 1, "action": "start"},
    {"schemaVersion": 1, "batchId": "b-1", "action": "explode"},
])
def test_a_bad_batch_action_is_malformed(body: dict[str, object]) -> None:
    """A message that claims to be an action but is not a readable one is malformed (dead-lettered)."""
    with pytest.raises(MalformedMessageError):
        parse_batch_action(body)
