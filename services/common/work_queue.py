"""The work queues: the port the services send to and consume from (adapter: adapters/sqs_work_queue.py).

Queues are named as in the topology (``scrape-requests`` ...); the adapter finds their
addresses. Failures are the project's errors: ``DependencyUnavailableError`` when the
queue cannot be reached, ``QueueEntryRefusedError`` / ``QueueEntryInvalidError`` for one
refused entry of a batch, ``QueueOperationUnsupportedError`` when the endpoint lacks an
operation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from services.common.errors import ProductshotError
from services.common.queue_message import QueueMessage

__all__ = ["WorkQueue", "DeadLetterMover"]


class WorkQueue(Protocol):
    async def check(self, queue: str) -> None:
        """Raise when ``queue`` cannot be reached (readiness)."""

    async def send(
        self, queue: str, body: str, *, attributes: Mapping[str, str] | None = None, delay_seconds: int = 0
    ) -> str:
        """Send one message, invisible for ``delay_seconds`` (0..900); its message id."""

    async def send_batch(self, queue: str, bodies: Sequence[str]) -> list[str | ProductshotError]:
        """Send up to 10 messages in one call; per body its message id, or why it was refused."""

    async def receive(
        self, queue: str, *, max_messages: int, wait_seconds: int, visibility_timeout: int,
        with_attributes: bool = False,
    ) -> list[QueueMessage]:
        """Long-poll up to ``max_messages`` messages, hidden from others for ``visibility_timeout`` s."""

    async def delete(self, queue: str, receipt_handle: str) -> None: ...

    async def change_visibility(self, queue: str, receipt_handle: str, seconds: int) -> None: ...

    async def dead_letter_queue(self, queue: str) -> str | None:
        """The name of ``queue``'s dead-letter queue, None when it has none."""


class DeadLetterMover(Protocol):
    """What the operators' re-drive needs on top of the work queue."""

    async def approximate_count(self, queue: str) -> int: ...

    async def move_all(self, source: str, destination: str) -> int:
        """Let the queue service move every message itself; how many it moved."""
