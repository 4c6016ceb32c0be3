"""Micro-batched hand-offs: concurrent requests share one SendMessageBatch / PutEvents call.

Each request still awaits the outcome of *its own* entry: a refused entry fails only that
request (the caller then fails the job and answers 503), its batch-mates are unaffected; a
call that fails as a whole fails every entry in it. While a call is in flight, entries wait
at most ``linger`` seconds for company (a lone request on an idle API waits for nothing) and
leave at once when the batch is full (10 entries, AWS's limit for both APIs, or close to
the 256 KB request cap).

``BatchingSqs`` and ``BatchingEvents`` stand in for the aiobotocore clients where the API
sends one message / one event at a time (``send_message(QueueUrl=, MessageBody=)``,
``put_events(Entries=[one])``), and answer each caller as the single call would have,
errors included (``ClientError`` / ``BotoCoreError``), so the callers need no change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, Generic, TypeVar

from botocore.exceptions import ClientError

from services.common.logging import get_logger

__all__ = ["MicroBatcher", "BatchingSqs", "BatchingEvents", "MAX_ENTRIES", "MAX_BATCH_BYTES"]

_log = get_logger(__name__)
T = TypeVar("T")
R = TypeVar("R")

#: SendMessageBatch and PutEvents both take at most 10 entries ...
MAX_ENTRIES = 10
#: ... and at most 256 KB per request; leave room for the envelope.
MAX_BATCH_BYTES = 240 * 1024


class MicroBatcher(Generic[T, R]):
    """Collect items from concurrent callers; send them ``max_size`` at a time, or after ``linger`` s.

    ``send(items)`` returns one result per item, in order; a result that is an exception is
    raised to that item's caller only. An exception from ``send`` itself goes to every caller
    of the batch. A caller that stops waiting (its timeout) before its batch leaves is dropped
    from the batch.
    """

    def __init__(
        self,
        send: Callable[[list[T]], Awaitable[list[R | BaseException]]],
        *,
        max_size: int = MAX_ENTRIES,
        linger: float = 0.003,
        max_bytes: int | None = None,
        size_of: Callable[[T], int] = lambda _: 0,
    ) -> None:
        if not 1 <= max_size <= MAX_ENTRIES:
            raise ValueError(f"max_size must be 1..{MAX_ENTRIES}")
        self._send = send
        self._max_size = max_size
        self._linger = linger
        self._max_bytes = max_bytes
        self._size_of = size_of
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._pending_bytes = 0
        self._timer: asyncio.TimerHandle | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        #: Calls made and items sent, for tests and the bench's log line.
        self.calls = 0
        self.items = 0

    async def submit(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        size = self._size_of(item)
        if self._max_bytes is not None and self._pending and self._pending_bytes + size > self._max_bytes:
            self._flush()
        future: asyncio.Future[R] = loop.create_future()
        self._pending.append((item, future))
        self._pending_bytes += size
        if len(self._pending) >= self._max_size:
            self._flush()
        elif self._timer is None:
            # Idle (no call of ours in flight): only those arriving in this loop turn come along,
            # so a lone request pays no linger. Busy: wait for batch-mates, up to ``linger``.
            self._timer = loop.call_later(self._linger if self._in_flight else 0, self._flush)
        return await future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch = [(item, future) for item, future in self._pending if not future.done()]
        self._pending, self._pending_bytes = [], 0
        if batch:
            task = asyncio.get_running_loop().create_task(self._run(batch))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def _run(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        self.calls += 1
        self.items += len(batch)
        try:
            results = await self._send([item for item, _ in batch])
        except Exception as exc:  # noqa: BLE001 - handed to every waiting caller
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

    async def aclose(self) -> None:
        """Send what is waiting and wait for every call in flight (the app's shutdown)."""
        self._flush()
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)


def _entry_error(code: str, message: str, operation: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


class BatchingSqs:
    """``send_message`` of single messages goes out in SendMessageBatch calls, per queue."""

    def __init__(self, sqs: Any, *, max_size: int = MAX_ENTRIES, linger: float = 0.003) -> None:
        self._sqs = sqs
        self._max_size = max_size
        self._linger = linger
        self._queues: dict[str, MicroBatcher[str, dict[str, Any]]] = {}

    def __getattr__(self, name: str) -> Any:  # get_queue_url and the rest: the client's own
        return getattr(self._sqs, name)

    @property
    def calls(self) -> int:
        return sum(b.calls for b in self._queues.values())

    @property
    def items(self) -> int:
        return sum(b.items for b in self._queues.values())

    async def send_message(self, *, QueueUrl: str, MessageBody: str, **kwargs: Any) -> dict[str, Any]:  # noqa: N803
        if kwargs or self._max_size == 1:
            return dict(await self._sqs.send_message(QueueUrl=QueueUrl, MessageBody=MessageBody, **kwargs))
        batcher = self._queues.get(QueueUrl)
        if batcher is None:
            batcher = self._queues[QueueUrl] = MicroBatcher(
                partial(self._send_batch, QueueUrl),
                max_size=self._max_size,
                linger=self._linger,
                max_bytes=MAX_BATCH_BYTES,
                size_of=lambda body: len(body.encode()),
            )
        return await batcher.submit(MessageBody)

    async def _send_batch(self, url: str, bodies: list[str]) -> list[dict[str, Any] | BaseException]:
        entries = [{"Id": str(i), "MessageBody": body} for i, body in enumerate(bodies)]
        outcome: dict[str, dict[str, Any] | BaseException] = {}
        todo = entries
        for _ in range(2):
            # The SDK retries a failed call, not an entry a batch answer refuses: entries that
            # failed on SQS's side (not the sender's) get one more try, as a lone send would.
            result = await self._sqs.send_message_batch(QueueUrl=url, Entries=todo)
            for ok in result.get("Successful", []):
                outcome[ok["Id"]] = {"MessageId": ok["MessageId"], "MD5OfMessageBody": ok.get("MD5OfMessageBody")}
            for failed in result.get("Failed", []):
                outcome[failed["Id"]] = _entry_error(
                    str(failed.get("Code", "")), str(failed.get("Message", "")), "SendMessageBatch"
                )
            retry = {f["Id"] for f in result.get("Failed", []) if not f.get("SenderFault", False)}
            todo = [entry for entry in todo if entry["Id"] in retry]
            if not todo:
                break
        missing = _entry_error("MissingEntryResult", "SendMessageBatch gave no result for it", "SendMessageBatch")
        return [outcome.get(entry["Id"], missing) for entry in entries]

    async def aclose(self) -> None:
        for url, batcher in self._queues.items():
            await batcher.aclose()
            _log.info("handoff_batches", api="SendMessageBatch", queue=url, calls=batcher.calls, items=batcher.items)


def _event_size(entry: dict[str, Any]) -> int:
    # How EventBridge counts an entry: Source, DetailType, Detail, Resources (and Time).
    fields = [entry.get("Source", ""), entry.get("DetailType", ""), entry.get("Detail", "")]
    return sum(len(str(f).encode()) for f in fields) + sum(len(r.encode()) for r in entry.get("Resources", [])) + 14


class BatchingEvents:
    """``put_events`` of one entry goes out with other callers' entries in one PutEvents call."""

    def __init__(self, events: Any, *, max_size: int = MAX_ENTRIES, linger: float = 0.003) -> None:
        self._events = events
        self._max_size = max_size
        self.batcher: MicroBatcher[dict[str, Any], dict[str, Any]] = MicroBatcher(
            self._put, max_size=max_size, linger=linger, max_bytes=MAX_BATCH_BYTES, size_of=_event_size
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._events, name)

    async def put_events(self, *, Entries: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:  # noqa: N803
        if len(Entries) != 1 or kwargs or self._max_size == 1:
            return dict(await self._events.put_events(Entries=Entries, **kwargs))
        return await self.batcher.submit(Entries[0])

    async def _put(self, entries: list[dict[str, Any]]) -> list[dict[str, Any] | BaseException]:
        result = await self._events.put_events(Entries=entries)
        answers = result.get("Entries", [])
        out: list[dict[str, Any] | BaseException] = []
        for i in range(len(entries)):
            # PutEvents answers entry by entry, in order: an EventId, or an ErrorCode.
            answer = answers[i] if i < len(answers) else {"ErrorCode": "MissingEntryResult"}
            out.append({"FailedEntryCount": 1 if answer.get("ErrorCode") else 0, "Entries": [answer]})
        return out

    async def aclose(self) -> None:
        await self.batcher.aclose()
        _log.info("handoff_batches", api="PutEvents", calls=self.batcher.calls, items=self.batcher.items)
