"""The EventPublisher port on EventBridge: validated details, one PutEvents entry each.

With ``batch_size`` > 1, concurrent publishers' entries share PutEvents calls
(``MicroBatcher``); each publisher still learns the outcome of its own entry. A failed
call or a refused entry is a ``TransientError`` (the caller retries).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from services.common.adapters.aws_errors import translated
from services.common.errors import ProductshotError, TransientError
from services.common.events import DetailType, validate_detail
from services.common.logging import get_logger
from services.common.micro_batch import MAX_BATCH_BYTES, MAX_ENTRIES, MicroBatcher

if TYPE_CHECKING:
    from types_aiobotocore_events.client import EventBridgeClient

__all__ = ["EventBridgePublisher"]

_log = get_logger(__name__)


def _event_size(entry: dict[str, Any]) -> int:
    # How EventBridge counts an entry: Source, DetailType, Detail, Resources (and Time).
    fields = [entry.get("Source", ""), entry.get("DetailType", ""), entry.get("Detail", "")]
    return sum(len(str(f).encode()) for f in fields) + sum(len(r.encode()) for r in entry.get("Resources", [])) + 14


class EventBridgePublisher:
    """Puts events on the Productshot bus; a failed entry is a transient error (retry)."""

    def __init__(self, events_client: EventBridgeClient, bus_name: str, *, batch_size: int = 1,
                 linger: float = 0.003) -> None:
        self._events = events_client
        self._bus = bus_name
        self.batcher: MicroBatcher[dict[str, Any], dict[str, Any]] | None = None
        if batch_size > 1:
            self.batcher = MicroBatcher(self._put, max_size=min(batch_size, MAX_ENTRIES), linger=linger,
                                        max_bytes=MAX_BATCH_BYTES, size_of=_event_size)

    async def publish(self, detail_type: DetailType, detail: dict[str, Any], *, source: str) -> None:
        validate_detail(detail_type.value, detail)
        entry: dict[str, Any] = {
            "EventBusName": self._bus,
            "Source": source,
            "DetailType": detail_type.value,
            "Detail": json.dumps(detail, separators=(",", ":")),
            "Resources": [],
        }
        try:
            if self.batcher is None:
                [answer] = await self._put([entry])
            else:
                answer = await self.batcher.submit(entry)
            if isinstance(answer, BaseException):
                raise answer
        except ProductshotError as exc:
            cause = exc.__cause__ or exc  # the SDK's own error when there is one
            raise TransientError(f"could not publish {detail_type.value}: {cause}") from cause
        if answer.get("ErrorCode"):
            raise TransientError(
                f"could not publish {detail_type.value}: {answer.get('ErrorCode')} {answer.get('ErrorMessage')}"
            )

    async def _put(self, entries: list[dict[str, Any]]) -> list[dict[str, Any] | BaseException]:
        """One PutEvents call; its answer entry by entry, in order (an EventId, or an ErrorCode)."""
        with translated("event bus"):
            result = await self._events.put_events(Entries=entries)  # type: ignore[arg-type]
        answers: list[Any] = list(result.get("Entries", []))
        return [answers[i] if i < len(answers) else {"ErrorCode": "MissingEntryResult"} for i in range(len(entries))]

    async def aclose(self) -> None:
        """Send what is waiting (the process's shutdown)."""
        if self.batcher is not None:
            await self.batcher.aclose()
            _log.info("handoff_batches", api="PutEvents", calls=self.batcher.calls, items=self.batcher.items)
