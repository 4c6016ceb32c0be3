"""Batch actions on the ``batch-work`` queue: ``{"schemaVersion": 1, "batchId", "action"}``.

The API sends ``start`` and ``cancel`` (and ``archive`` when the ZIP is asked for); the batch
worker sends ``continue`` to itself while a source is still expanding; the sweeper sends
``release`` (release the batch's tenant's queued rows now) and ``fail_queued`` (give up on the
rows still queued) for a running batch that stopped moving. The same queue also
carries job events (EventBridge envelopes): ``parse_batch_action`` answers None for those.
"""

from __future__ import annotations

import json
from typing import Any

from services.common.errors import MalformedMessageError

__all__ = ["BATCH_ACTIONS", "batch_action_body", "parse_batch_action"]

BATCH_ACTIONS = ("start", "continue", "cancel", "archive", "release", "fail_queued")
_VERSION = 1


def batch_action_body(batch_id: str, action: str) -> str:
    return json.dumps({"schemaVersion": _VERSION, "batchId": batch_id, "action": action})


def parse_batch_action(body: dict[str, Any]) -> tuple[str, str] | None:
    """(batchId, action) of a batch action; None for any other message (a job event);
    MalformedMessageError for a batch action that is not one this build reads."""
    if "action" not in body:
        return None
    version, batch_id, action = body.get("schemaVersion"), body.get("batchId"), body.get("action")
    if version != _VERSION:
        raise MalformedMessageError(f"batch action: unknown schemaVersion {version!r} (this build reads {_VERSION})")
    if not isinstance(batch_id, str) or not batch_id:
        raise MalformedMessageError("batch action: batchId must be a non-empty string")
    if action not in BATCH_ACTIONS:
        raise MalformedMessageError(f"batch action: unknown action {action!r}")
    return batch_id, str(action)
