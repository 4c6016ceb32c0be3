"""The batch worker's handler on the in-memory fakes, for the worker tests."""

from __future__ import annotations

import json
from typing import Any

from services.batcher.handler import BatchWorkHandler
from services.batcher.settings import BatchSettings
from services.batcher.sources import ExpansionLimits
from services.common.batch import Batch, BatchItem
from services.common.batch_messages import batch_action_body
from services.common.errors import DependencyUnavailableError
from services.common.queue_message import QueueMessage
from tests.fakes import (
    InMemoryBatchStore,
    InMemoryJobFiles,
    InMemoryWindowCounter,
    InMemoryWorkQueue,
    RecordingPublisher,
)
from tests.unit.batcher.source_fakes import DictFetcher

QUEUE = "batch-work"
CREATED = "2026-01-01T00:00:00.000Z"


class RecordingStarter:
    """Records the jobs it starts; a row whose productUrl is in ``unavailable`` fails to start
    (transiently)."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.unavailable: set[str] = set()

    async def start(self, batch: Batch, item: BatchItem) -> bool:
        if item.productUrl in self.unavailable:
            raise DependencyUnavailableError("job store unavailable (the test says so)")
        self.started.append(item.jobId)
        return True


class PagedStore(InMemoryBatchStore):
    """Records each add_items page's size; ``fail_on_page`` makes that page's write fail once
    (nothing stored); ``lose_cursor_on_page`` stores that page's rows once but not its cursor
    (a worker that died between the two)."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[int] = []
        self.fail_on_page: int | None = None
        self.lose_cursor_on_page: int | None = None

    async def add_items(self, batch_id: str, items: list[BatchItem], *, source_cursor: str | None) -> None:
        if self.fail_on_page is not None and len(self.pages) + 1 == self.fail_on_page:
            self.fail_on_page = None
            raise DependencyUnavailableError("batch store unavailable (the worker crashed mid-way)")
        if self.lose_cursor_on_page is not None and len(self.pages) + 1 == self.lose_cursor_on_page:
            self.lose_cursor_on_page = None
            await super().add_items(batch_id, items, source_cursor=self.batches[batch_id].sourceCursor)
            raise DependencyUnavailableError("batch store unavailable (the cursor was not written)")
        self.pages.append(len(items))
        await super().add_items(batch_id, items, source_cursor=source_cursor)


class World:
    def __init__(self, documents: dict[str, tuple[bytes, str]] | None = None, *, max_in_flight: int = 50,
                 slice_seconds: float = 20.0, limits: ExpansionLimits | None = None,
                 counter: InMemoryWindowCounter | None = None) -> None:
        self.store = PagedStore()
        self.files = InMemoryJobFiles()
        self.queue = InMemoryWorkQueue()
        self.publisher = RecordingPublisher()
        self.starter = RecordingStarter()
        self.fetcher = DictFetcher(documents or {})
        settings = BatchSettings(max_in_flight_per_tenant=max_in_flight, expand_slice_seconds=slice_seconds)
        self.handler = BatchWorkHandler(store=self.store, files=self.files, queue=self.queue, queue_name=QUEUE,
                                        publisher=self.publisher, starter=self.starter, fetcher=self.fetcher,
                                        settings=settings, limits=limits, publish_retry_pause=0,
                                        counter=counter)

    async def create(self, batch_id: str, source: dict[str, Any], *, tenant: str = "acme",
                     request: dict[str, Any] | None = None, **fields: Any) -> None:
        await self.store.create(Batch(batch_id, tenant, "expanding", CREATED, CREATED, "2026-01-31T00:00:00.000Z",
                                      source=source, metadata={"campaign": "x"}, **fields))
        if request is not None:
            await self.files.put(f"batches/{batch_id}/request.json", json.dumps(request).encode(), "application/json")

    async def action(self, batch_id: str, action: str) -> None:
        await self.handler.handle(message(batch_action_body(batch_id, action)))

    async def job_event(self, detail_type: str, batch_id: str, job_id: str, attempt: int = 1, **extra: Any) -> None:
        envelope = {"version": "0", "detail-type": detail_type, "source": "productshot.renderer",
                    "detail": {"batchId": batch_id, "jobId": job_id, "attempt": attempt, **extra}}
        await self.handler.handle(message(json.dumps(envelope)))

    def sent_actions(self) -> list[tuple[str, str]]:
        return [(b["batchId"], b["action"]) for b in map(json.loads, self.queue.sent) if "action" in b]

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        return [(t.value, d) for t, d, _ in self.publisher.events]

    def head(self, batch_id: str) -> Batch:
        return self.store.batches[batch_id]

    def rows(self, batch_id: str) -> list[BatchItem]:
        return [self.store.rows[batch_id][r] for r in sorted(self.store.rows[batch_id])]


def message(body: str, receive_count: int = 1) -> QueueMessage:
    return QueueMessage(message_id="m1", receipt_handle="r1", body=body, receive_count=receive_count)
