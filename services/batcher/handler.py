"""What the batch worker does with one ``batch-work`` message.

A batch action (services/common/batch_messages.py): ``start``/``continue`` store the rows
and run the batch (expansion.py), ``cancel`` cancels what is not released, ``archive``
builds the ZIP (archiving.py), and the sweeper's ``release``/``fail_queued`` release a
stalled batch's queued rows or fail them (stalled.py). Anything else is a job event of a batch's job (the
EventBridge envelope the ``job-events-to-batcher`` rule delivers): its row moves, a finished
batch completes once, and the tenant's fair share releases more rows (progress.py).
"""

from __future__ import annotations

from typing import Any

import structlog
from opentelemetry.trace import SpanKind

from services.batcher.archiving import FAILED_SENTENCE, build_batch_archive
from services.batcher.expansion import Expander, cancel_batch
from services.batcher.finisher import EventBatchFinisher, fail_batch
from services.batcher.metering import QuotaMeter
from services.batcher.progress import JobStarter, follow_job_event
from services.batcher.settings import BatchSettings
from services.batcher.sources import ExpansionLimits, SourceFetcher
from services.batcher.stalled import fail_queued, release_batch
from services.common.batch import Batch, BatchItem
from services.common.batch_messages import parse_batch_action
from services.common.batch_store import BatchStore
from services.common.errors import MalformedMessageError
from services.common.events import EventPublisher
from services.common.job_failures import public_failure
from services.common.job_files import JobFiles
from services.common.logging import get_logger
from services.common.metrics import Metric, emit
from services.common.queue_message import QueueMessage
from services.common.tracing import TRACEPARENT, context_from, span
from services.common.window_counter import WindowCounter
from services.common.work_queue import WorkQueue

__all__ = ["BatchWorkHandler", "CountingStarter"]

_log = get_logger(__name__)


class CountingStarter:
    """The job starter, counted: one BatchItemsReleased per job it created (a start repeated
    for a job that exists already counts nothing)."""

    def __init__(self, starter: JobStarter) -> None:
        self._starter = starter

    async def start(self, batch: Batch, item: BatchItem) -> bool:
        created = await self._starter.start(batch, item)
        if created:
            emit(Metric.BATCH_ITEMS_RELEASED, 1, properties={"batchId": batch.batchId, "jobId": item.jobId})
        return created


class BatchWorkHandler:
    def __init__(self, *, store: BatchStore, files: JobFiles, queue: WorkQueue, queue_name: str,
                 publisher: EventPublisher, starter: JobStarter, fetcher: SourceFetcher, settings: BatchSettings,
                 limits: ExpansionLimits | None = None, publish_retry_pause: float = 0.5,
                 counter: WindowCounter | None = None) -> None:
        """``counter``: the shared WindowCounter a source's jobs are counted on against the
        tenant's daily quota (metering.py); None counts nothing (tests of other things)."""
        self._store = store
        self._files = files
        self._finisher = EventBatchFinisher(publisher, retry_pause=publish_retry_pause)
        self._starter = CountingStarter(starter)
        self._max_in_flight = settings.max_in_flight_per_tenant
        self._expander = Expander(store=store, files=files, fetcher=fetcher, queue=queue, queue_name=queue_name,
                                  finisher=self._finisher, starter=self._starter,
                                  max_in_flight=self._max_in_flight, slice_seconds=settings.expand_slice_seconds,
                                  limits=limits or ExpansionLimits(),
                                  meter=QuotaMeter(counter) if counter is not None else None)

    async def handle(self, message: QueueMessage) -> None:
        body = message.json()
        action = parse_batch_action(body)
        if action is None:
            await self._job_event(body, message)
            return
        batch_id, name = action
        structlog.contextvars.bind_contextvars(batchId=batch_id, action=name)
        attributes: dict[str, str | int] = {"productshot.batch_id": batch_id,
                                            "messaging.message.id": message.message_id}
        with span(f"batch.{name}", attributes, kind=SpanKind.CONSUMER):
            if name in ("start", "continue"):
                await self._expander.run(batch_id)
            elif name == "cancel":
                await cancel_batch(self._store, self._finisher, batch_id)
            elif name == "release":
                await release_batch(self._store, self._starter, self._finisher, batch_id,
                                    max_in_flight=self._max_in_flight)
            elif name == "fail_queued":
                await fail_queued(self._store, self._finisher, batch_id)
            else:
                await build_batch_archive(self._store, self._files, batch_id)

    async def _job_event(self, envelope: dict[str, Any], message: QueueMessage) -> None:
        detail_type, detail = envelope.get("detail-type"), envelope.get("detail")
        if not isinstance(detail_type, str) or not isinstance(detail, dict):
            raise MalformedMessageError("batch-work: neither a batch action nor a job event")
        batch_id = detail.get("batchId")
        if not isinstance(batch_id, str):
            _log.info("job_event_without_batch", detail_type=detail_type)
            return
        structlog.contextvars.bind_contextvars(batchId=batch_id, jobId=detail.get("jobId"))
        parent = detail.get("traceParent")
        context = context_from({TRACEPARENT: parent}) if isinstance(parent, str) else None
        attributes: dict[str, str | int] = {"productshot.batch_id": batch_id,
                                            "productshot.job_id": str(detail.get("jobId")),
                                            "messaging.message.id": message.message_id}
        with span("batch.follow", attributes, kind=SpanKind.CONSUMER, context=context):
            await follow_job_event(self._store, self._finisher, self._starter, detail_type, detail,
                                   max_in_flight=self._max_in_flight)

    async def on_failure(self, message: QueueMessage, error: Exception) -> None:
        """A start/continue that cannot succeed fails its batch (an expanding batch would wait
        forever); an archive that cannot be built says so on the head; a job event is logged."""
        try:
            action = parse_batch_action(message.json())
        except MalformedMessageError:
            return
        if action is None:
            _log.error("job_event_not_followed", error=str(error) or type(error).__name__)
            return
        batch_id, name = action
        if name in ("start", "continue"):
            failure = public_failure(error)
            _log.error("batch_not_expanded", batchId=batch_id, error=str(error) or type(error).__name__)
            await fail_batch(self._store, self._finisher, batch_id, failure.code.value, failure.reason)
        elif name == "archive":
            batch = await self._store.get(batch_id)
            if batch is not None:
                archive = {**(batch.archive or {}), "status": "failed", "error": FAILED_SENTENCE}
                await self._store.set_status(batch_id, to=batch.status, from_=frozenset({batch.status}),
                                             fields={"archive": archive})
