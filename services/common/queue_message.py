"""One received queue message as the consumer hands it to a handler, and the retry delay policy."""

from __future__ import annotations

import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from services.common.errors import MalformedMessageError

__all__ = ["QueueMessage", "backoff_delay", "MAX_VISIBILITY", "MAX_DELAY", "DEFERRALS", "MAX_DEFERRALS"]

MAX_VISIBILITY = 43_200  # SQS limit: 12 hours
MAX_DELAY = 900  # SQS limit on a message's DelaySeconds: 15 minutes
#: Message attribute: how often the message was put back to wait its turn (DeferredError).
DEFERRALS = "deferrals"
#: Deferrals are not failures, but not endless either: past this many the wait counts as a receive.
MAX_DEFERRALS = 100


@dataclass(slots=True)
class QueueMessage:
    message_id: str
    receipt_handle: str
    body: str
    receive_count: int
    sent_at: float | None = None
    #: String message attributes (only when the receive asked for them).
    attributes: dict[str, str] = field(default_factory=dict)
    # Called on every visibility heartbeat while the handler works (e.g. extend a job lease).
    heartbeat_callbacks: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def deferrals(self) -> int:
        """How often this message was put back to wait its turn (0 for a fresh one)."""
        try:
            return max(0, int(self.attributes.get(DEFERRALS, "0")))
        except ValueError:
            return 0

    def json(self) -> dict[str, Any]:
        try:
            data = json.loads(self.body)
        except json.JSONDecodeError as exc:
            raise MalformedMessageError(f"message body is not JSON: {exc.msg}") from exc
        if not isinstance(data, dict):
            raise MalformedMessageError("message body is not a JSON object")
        return data


def backoff_delay(receive_count: int, base: float, cap: float, retry_after: float | None = None) -> int:
    """Exponential backoff with jitter (half to full step), never shorter than a Retry-After hint."""
    ceiling = min(cap, base * 2 ** max(0, receive_count - 1))
    delay = random.uniform(ceiling / 2, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return int(min(MAX_VISIBILITY, max(0, round(delay))))
