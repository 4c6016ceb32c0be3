"""The WorkQueue port (and the re-drive's DeadLetterMover) in memory, with SQS's visibility rules."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from services.common.errors import (
    DependencyUnavailableError,
    ProductshotError,
    QueueEntryRefusedError,
    QueueOperationUnsupportedError,
)
from services.common.queue_message import DEFERRALS, QueueMessage

__all__ = ["InMemoryWorkQueue", "StoredMessage"]


@dataclass
class StoredMessage:
    body: str
    message_id: str
    receive_count: int = 0
    visible_at: float = 0.0
    receipt: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    sent_at: float = field(default_factory=time.time)


class InMemoryWorkQueue:
    """Queues by name (created on first use); ``dead_letter`` names each queue's DLQ.

    ``sent`` lists every body sent through the port, ``deleted`` the ids deleted and
    ``visibility_calls`` each (message id, seconds) change. ``down`` makes every call fail as
    an unreachable endpoint does; ``fail_deletes`` only the deletes; ``refuse`` refuses the
    batch entries whose body contains one of its strings; ``moves_supported`` False makes
    ``move_all`` unsupported, as on endpoints without message move tasks.
    """

    def __init__(self, dead_letter: Mapping[str, str] | None = None) -> None:
        self.queues: defaultdict[str, list[StoredMessage]] = defaultdict(list)
        self.dead_letter = dict(dead_letter or {})
        for dlq in self.dead_letter.values():
            self.queues[dlq] = []
        self.sent: list[str] = []
        self.deleted: list[str] = []
        self.visibility_calls: list[tuple[str, int]] = []
        self.refuse: set[str] = set()
        self.down = False
        self.fail_deletes = False
        self.moves_supported = True
        self._ids = itertools.count(1)

    def _check_up(self) -> None:
        if self.down:
            raise DependencyUnavailableError("queue unavailable (fake endpoint down)")

    def put(self, body: str, queue: str = "work", attributes: Mapping[str, str] | None = None) -> str:
        """Enqueue directly (a test's setup), without counting it as sent."""
        message_id = f"m{next(self._ids)}"
        self.queues[queue].append(StoredMessage(body=body, message_id=message_id, attributes=dict(attributes or {})))
        return message_id

    def _find(self, queue: str, receipt: str) -> StoredMessage:
        for m in self.queues[queue]:
            if m.receipt == receipt:
                return m
        raise DependencyUnavailableError(f"queue {queue}: ReceiptHandleIsInvalid")

    async def check(self, queue: str) -> None:
        self._check_up()

    async def send(
        self, queue: str, body: str, *, attributes: Mapping[str, str] | None = None, delay_seconds: int = 0
    ) -> str:
        self._check_up()
        self.sent.append(body)
        message_id = self.put(body, queue, attributes)
        self.queues[queue][-1].visible_at = time.monotonic() + delay_seconds
        return message_id

    async def send_batch(self, queue: str, bodies: Sequence[str]) -> list[str | ProductshotError]:
        self._check_up()
        out: list[str | ProductshotError] = []
        for body in bodies:
            if any(r in body for r in self.refuse):
                out.append(QueueEntryRefusedError("SendMessageBatch refused the entry: InternalError", "InternalError"))
            else:
                out.append(await self.send(queue, body))
        return out

    async def receive(
        self, queue: str, *, max_messages: int, wait_seconds: int, visibility_timeout: int,
        with_attributes: bool = False,
    ) -> list[QueueMessage]:
        self._check_up()
        deadline = time.monotonic() + wait_seconds
        while True:
            now = time.monotonic()
            ready = [m for m in self.queues[queue] if m.visible_at <= now][:max_messages]
            if ready or now >= deadline:
                break
            await asyncio.sleep(0.01)
        out = []
        for m in ready:
            m.receive_count += 1
            m.visible_at = now + visibility_timeout
            m.receipt = f"{m.message_id}-r{m.receive_count}"
            out.append(QueueMessage(message_id=m.message_id, receipt_handle=m.receipt, body=m.body,
                                    receive_count=m.receive_count, sent_at=m.sent_at,
                                    attributes=dict(m.attributes) if with_attributes
                                    else {k: v for k, v in m.attributes.items() if k == DEFERRALS}))
        return out

    async def delete(self, queue: str, receipt_handle: str) -> None:
        self._check_up()
        if self.fail_deletes:
            raise DependencyUnavailableError("queue unavailable (fake delete failure)")
        m = self._find(queue, receipt_handle)
        self.queues[queue].remove(m)
        self.deleted.append(m.message_id)

    async def change_visibility(self, queue: str, receipt_handle: str, seconds: int) -> None:
        self._check_up()
        m = self._find(queue, receipt_handle)
        m.visible_at = time.monotonic() + seconds
        self.visibility_calls.append((m.message_id, seconds))

    async def dead_letter_queue(self, queue: str) -> str | None:
        self._check_up()
        return self.dead_letter.get(queue)

    async def approximate_count(self, queue: str) -> int:
        self._check_up()
        return len(self.queues[queue])

    async def move_all(self, source: str, destination: str) -> int:
        self._check_up()
        if not self.moves_supported:
            raise QueueOperationUnsupportedError("message move task: UnsupportedOperation")
        moved = self.queues[source]
        self.queues[source] = []
        for m in moved:
            m.visible_at, m.receipt = 0.0, ""
        self.queues[destination].extend(moved)
        return len(moved)
