"""The batch actions on the ``batch-work`` queue: what the API and the batch worker send it.

``{"schemaVersion": 1, "batchId": "<uuid>", "action": "start"|"continue"|"cancel"|"archive"}``;
the queue's other messages (job events, EventBridge envelopes) are not batch actions.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from services.common.errors import MalformedMessageError

__all__ = ["BATCH_ACTIONS", "batch_action_body", "parse_batch_action"]

BATCH_ACTIONS = ("start", "continue", "cancel", "archive")


def batch_action_body(batch_id: str, action: str) -> str:
    return json.dumps({"schemaVersion": 1, "batchId": batch_id, "action": action})


def parse_batch_action(body: dict[str, Any]) -> tuple[str, str] | None:
    """(batchId, action) of a batch action message; None for any other message."""
    if "action" not in body or "detail-type" in body:
        return None
    batch_id, action = body.get("batchId"), body.get("action")
    if body.get("schemaVersion") != 1:
        raise MalformedMessageError(f"batch action: unknown schemaVersion {body.get('schemaVersion')!r}")
    if action not in BATCH_ACTIONS:
        raise MalformedMessageError(f"batch action: unknown action {action!r}")
    try:
        uuid.UUID(str(batch_id))
    except ValueError as exc:
        raise MalformedMessageError(f"batch action: batchId {batch_id!r} is not a UUID") from exc
    return str(batch_id), str(action)
