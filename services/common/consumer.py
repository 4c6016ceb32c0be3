"""The queue consumer runtime the scraper and the renderer share (on the WorkQueue port).

- Long polling in batches, with at most ``max_in_flight`` messages worked on at once.
- Each message handled on its own task: one failure never redelivers its batch mates.
- A heartbeat extends a message's visibility while it is being worked on (and runs the
  handler's heartbeat callbacks, e.g. to extend the job's lease); it stops with the work.
- Deleted only after the handler returns (its work is durable by then).
- Permanent errors: the handler's ``on_failure`` fails the job, the message is deleted.
  Transient errors: the message becomes visible again after a growing delay; on its last
  allowed receive the job is failed with the last reason and the message dead-lettered.
  Deferred (waiting its turn at a busy shop): sent again with a delay, no receive used.
- Malformed messages never crash the loop: logged and dead-lettered.
- An unreachable AWS endpoint never ends the loop: it backs off and carries on.
- ``stop`` set (SIGTERM): receiving stops at once, in-flight work gets ``shutdown_deadline``
  seconds, whatever cannot finish is released (visibility 0) for another worker.
- Health: every turn of the loop touches ``health_file`` (``health_file.py``: unwritable at
  start-up stops the worker, later it is logged and the stale file fails the health check).
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import structlog

from services.common.errors import (
    DeferredError,
    MalformedMessageError,
    PermanentError,
    ProductshotError,
    RetriesExhaustedError,
    TransientError,
)
from services.common.health_file import HealthFile, HealthFileError
from services.common.logging import get_logger
from services.common.metrics import Metric, emit, reason_code
from services.common.queue_message import DEFERRALS, MAX_DEFERRALS, MAX_DELAY, QueueMessage, backoff_delay
from services.common.work_queue import WorkQueue

__all__ = ["ConsumerConfig", "HealthFileError", "QueueMessage", "MessageHandler", "SqsConsumer", "backoff_delay"]

_log = get_logger(__name__)
_RELEASE_BUDGET = 5.0  # seconds to hand back cancelled messages before the process exits


@dataclass(frozen=True, slots=True)
class ConsumerConfig:
    queue_name: str
    visibility_timeout: int = 60
    max_receive_count: int = 5
    max_in_flight: int = 10
    batch_size: int = 10
    wait_time_seconds: int = 20
    backoff_base: float = 2.0
    backoff_max: float = 300.0
    shutdown_deadline: float = 20.0
    health_file: Path | None = None

    @property
    def heartbeat_every(self) -> float:
        # Three beats per timeout: two can be lost before another worker may see the message.
        return max(0.5, self.visibility_timeout / 3)


class MessageHandler(Protocol):
    async def handle(self, message: QueueMessage) -> None:
        """Do the message's work; return only once its effects are durable."""

    async def on_failure(self, message: QueueMessage, error: Exception) -> None:
        """The message will not be retried: record the failure on its job."""


class SqsConsumer:
    def __init__(self, queue: WorkQueue, handler: MessageHandler, config: ConsumerConfig) -> None:
        self._queue = queue
        self._handler = handler
        self._config = config
        self._tasks: set[asyncio.Task[None]] = set()
        self._ready = False
        self._dlq: str | None = None
        self.last_tick = time.monotonic()
        self._health = HealthFile(config.health_file)

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    async def _find_dead_letter_queue(self) -> None:
        self._dlq = await self._queue.dead_letter_queue(self._config.queue_name)
        self._ready = True

    def _tick(self) -> None:
        self.last_tick = time.monotonic()
        self._health.touch()

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until ``stop`` is set, then drain within the shutdown deadline."""
        failures = 0
        while not stop.is_set():
            self._tick()
            try:
                if not self._ready:
                    await self._find_dead_letter_queue()
                await self._poll_once(stop)
                failures = 0
            except ProductshotError as exc:  # the queue unreachable: the adapter says so with its errors
                failures += 1
                pause = min(20.0, 0.25 * 2 ** min(failures, 7)) * random.uniform(0.5, 1.0)
                _log.warning("poll_failed", queue=self._config.queue_name, error=str(exc) or type(exc).__name__,
                             failures=failures, retry_in=round(pause, 1))
                await _sleep_unless(stop, pause)
        await self._drain()

    async def _poll_once(self, stop: asyncio.Event) -> None:
        free = self._config.max_in_flight - len(self._tasks)
        if free <= 0:
            # Busy: wait for a slot, at most a few seconds so the loop (and health) keeps turning.
            sleeper = asyncio.ensure_future(_sleep_unless(stop, 5.0))
            await asyncio.wait(self._tasks | {sleeper}, return_when=asyncio.FIRST_COMPLETED)
            sleeper.cancel()
            return
        receive = asyncio.ensure_future(
            self._queue.receive(
                self._config.queue_name,
                max_messages=min(self._config.batch_size, free, 10),
                wait_seconds=self._config.wait_time_seconds,
                visibility_timeout=self._config.visibility_timeout,
            )
        )
        stopper = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({receive, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if receive not in done:
            # Stopping: a poll cut short may have taken messages; they come back at their
            # visibility timeout, which costs time but loses nothing.
            receive.cancel()
            return
        messages = receive.result()
        if stop.is_set():
            await asyncio.gather(*(self._set_visibility(m, 0) for m in messages))
            return
        for message in messages:
            task = asyncio.create_task(self._process(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if messages:
            self._observe_receive(messages)

    def _observe_receive(self, messages: list[QueueMessage]) -> None:
        queue, now = self._config.queue_name, time.time()
        emit(Metric.IN_FLIGHT, len(self._tasks), queue=queue)
        for message in messages:
            if message.sent_at is not None:
                emit(Metric.QUEUE_WAIT, max(0.0, now - message.sent_at) * 1000,
                     properties={"messageId": message.message_id}, queue=queue)

    async def _drain(self) -> None:
        if not self._tasks:
            return
        _log.info("draining", in_flight=len(self._tasks), deadline=self._config.shutdown_deadline)
        _, pending = await asyncio.wait(set(self._tasks), timeout=self._config.shutdown_deadline)
        if not pending:
            return
        _log.warning("releasing_unfinished", count=len(pending))
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=_RELEASE_BUDGET)

    async def _process(self, message: QueueMessage) -> None:
        heartbeat = asyncio.create_task(self._heartbeat(message))
        context = {"messageId": message.message_id, "receiveCount": message.receive_count}
        with structlog.contextvars.bound_contextvars(**context):
            try:
                await self._settle(message, heartbeat)
            except asyncio.CancelledError:
                heartbeat.cancel()
                await asyncio.shield(self._set_visibility(message, 0))
                _log.info("released_on_shutdown")
                raise
            except Exception:  # noqa: BLE001 - a task must never die silently; SQS redelivers
                _log.exception("message_settle_failed")
            finally:
                heartbeat.cancel()

    async def _settle(self, message: QueueMessage, heartbeat: asyncio.Task[None]) -> None:
        try:
            await self._handler.handle(message)
        except Exception as exc:  # noqa: BLE001 - sorted below
            # Stop beating first: a late beat would undo the retry delay set below.
            heartbeat.cancel()
            await self._on_error(message, exc)
        else:
            heartbeat.cancel()
            await self._delete(message)

    async def _on_error(self, message: QueueMessage, error: Exception) -> None:
        if isinstance(error, MalformedMessageError):
            _log.error("malformed_message", reason=error.reason, body=message.body[:500])
            await self._dead_letter(message, error.reason)
        elif isinstance(error, PermanentError):
            _log.warning("permanent_failure", reason=error.reason)
            await self._give_up(message, error)
        else:  # anything else is retried, then dead-lettered
            await self._retry_later(message, error)

    async def _retry_later(self, message: QueueMessage, exc: Exception) -> None:
        reason = exc.reason if isinstance(exc, ProductshotError) else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, DeferredError) and message.deferrals < MAX_DEFERRALS and await self._defer(message, exc):
            return
        if message.receive_count >= self._config.max_receive_count:
            _log.error("retries_exhausted", reason=reason)
            final = RetriesExhaustedError(message.receive_count, exc)
            await self._give_up(message, final, dead_letter=True)
            return
        retry_after = exc.retry_after if isinstance(exc, TransientError) else None
        delay = backoff_delay(
            message.receive_count, self._config.backoff_base, self._config.backoff_max, retry_after
        )
        emit(Metric.MESSAGE_RETRIES, 1, queue=self._config.queue_name, reason=reason_code(exc))
        if isinstance(exc, ProductshotError):
            _log.warning("transient_failure", reason=reason, retry_in=delay)
        else:
            _log.error("transient_failure", reason=reason, retry_in=delay, exc_info=exc)
        await self._set_visibility(message, delay)

    async def _defer(self, message: QueueMessage, exc: DeferredError) -> bool:
        """Send the message again, delayed, and delete this copy: waiting is not a failed receive
        (False, retried the usual way, when the copy could not be sent)."""
        delay, count = min(MAX_DELAY, max(1, math.ceil(exc.retry_after or 1))), message.deferrals + 1
        try:
            await self._queue.send(self._config.queue_name, message.body, attributes={DEFERRALS: str(count)},
                                   delay_seconds=delay)
        except ProductshotError as error:
            _log.warning("defer_failed", error=str(error) or type(error).__name__)
            return False
        _log.info("deferred", reason=exc.reason, retry_in=delay, deferrals=count)
        emit(Metric.MESSAGE_DEFERRALS, 1, queue=self._config.queue_name)
        await self._delete(message)  # if it fails, the job's lease and state checks make the copy a no-op
        return True

    async def _give_up(self, message: QueueMessage, exc: Exception, *, dead_letter: bool = False) -> None:
        try:
            await self._handler.on_failure(message, exc)
        except Exception:  # noqa: BLE001 - could not record the failure: let SQS redeliver
            _log.exception("on_failure_failed")
            await self._set_visibility(message, backoff_delay(message.receive_count, 2, 60))
            return
        if dead_letter:
            await self._dead_letter(message, str(exc))
        else:
            await self._delete(message)

    async def _dead_letter(self, message: QueueMessage, reason: str) -> None:
        if self._dlq is None:
            await self._delete(message)
            return
        # Sent by us rather than left to the redrive policy, so the DLQ copy says why.
        await self._queue.send(
            self._dlq,
            message.body,
            attributes={"failureReason": reason[:1000] or "unknown", "sourceQueue": self._config.queue_name},
        )
        await self._delete(message)
        emit(Metric.DEAD_LETTERED, 1, queue=self._config.queue_name)
        _log.warning("dead_lettered", reason=reason[:200])

    async def _heartbeat(self, message: QueueMessage) -> None:
        while True:
            await asyncio.sleep(self._config.heartbeat_every)
            await self._set_visibility(message, self._config.visibility_timeout)
            for callback in message.heartbeat_callbacks:
                try:
                    await callback()
                except Exception:  # noqa: BLE001 - a missed beat is retried next period
                    _log.warning("heartbeat_callback_failed", exc_info=True)

    async def _delete(self, message: QueueMessage) -> None:
        await self._queue.delete(self._config.queue_name, message.receipt_handle)

    async def _set_visibility(self, message: QueueMessage, seconds: int) -> None:
        try:
            await self._queue.change_visibility(self._config.queue_name, message.receipt_handle, seconds)
        except ProductshotError as exc:
            _log.warning("visibility_change_failed", error=str(exc) or type(exc).__name__, seconds=seconds)


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
