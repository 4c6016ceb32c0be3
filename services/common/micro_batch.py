"""Micro-batching: concurrent callers' items share one batch call (SendMessageBatch, PutEvents).

Each caller still awaits the outcome of *its own* item: a refused item fails only that
caller, its batch-mates are unaffected; a call that fails as a whole fails every item in
it. While a call is in flight, items wait at most ``linger`` seconds for company (a lone
caller on an idle process waits for nothing) and leave at once when the batch is full
(10 entries, AWS's limit for both APIs, or close to the 256 KB request cap).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

__all__ = ["MicroBatcher", "MAX_ENTRIES", "MAX_BATCH_BYTES"]

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
