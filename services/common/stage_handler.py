"""The shape every pipeline stage's message handler shares (scraper, renderer).

One message = one job at one attempt: claim the job's leased state (a conditional write),
keep the lease alive with the message's heartbeat, do the stage's work, advance the job
with an outbox mark, publish the stage's event, clear the mark, all in one span of the
job's trace (services/common/tracing.py). Duplicates and late
messages are answered from the job's current state; a failure fails the job.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from datetime import UTC, datetime

import structlog
from opentelemetry.trace import SpanKind

from services.common.errors import JobTransitionConflictError, TransientError
from services.common.events import DetailType, EventPublisher
from services.common.failure_codes import FailureCode
from services.common.job import Job
from services.common.job_failures import fail_job, public_failure
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger
from services.common.messages import JobRef
from services.common.metrics import Metric, emit, emit_many
from services.common.queue_message import QueueMessage
from services.common.tracing import context_from, span

__all__ = ["StageHandler"]

_log = get_logger(__name__)


class StageHandler(ABC):
    #: The leased state this stage works in, the state it leaves the job in, and its event.
    working: JobStatus
    done: JobStatus
    event: DetailType
    #: Other states ``work`` may leave the job in instead of ``done``, each with its own event
    #: (the scraper's ``review``); the same outbox protects them.
    also_done: dict[JobStatus, DetailType] = {}
    #: States a job can still be in when this stage's message arrives early (retry later).
    too_early: frozenset[JobStatus] = frozenset()
    stage: str
    service: str

    def __init__(self, *, store: JobStore, publisher: EventPublisher, worker_id: str,
                 lease_seconds: float) -> None:
        self._store = store
        self._publisher = publisher
        self._worker_id = worker_id
        self._lease = lease_seconds

    @abstractmethod
    def parse(self, message: QueueMessage) -> JobRef:
        """The job and attempt the message is about (MalformedMessageError otherwise)."""

    @abstractmethod
    async def work(self, job: Job, ref: JobRef) -> Job:
        """Do the stage's work and advance the job to ``done`` (see ``advance``)."""

    @abstractmethod
    async def publish(self, job: Job) -> None:
        """Publish the stage's event for ``job`` (the one its status calls for)."""

    def trace_carrier(self, message: QueueMessage) -> dict[str, str]:
        """Where the message carries its sender's span (W3C ``traceparent``): its attributes."""
        return message.attributes

    async def handle(self, message: QueueMessage) -> None:
        ref = self.parse(message)
        structlog.contextvars.bind_contextvars(jobId=ref.job_id, attempt=ref.attempt)
        # The stage's span, the child of the one that sent the message: the job's one trace.
        attributes: dict[str, str | int] = {"productshot.job_id": ref.job_id, "productshot.attempt": ref.attempt,
                      "messaging.message.id": message.message_id}
        with span(self.stage, attributes, kind=SpanKind.CONSUMER, context=context_from(self.trace_carrier(message))):
            await self._handle(ref, message)

    async def _handle(self, ref: JobRef, message: QueueMessage) -> None:
        job = await self._claim(ref)
        if job is None:
            return

        async def extend() -> None:
            await self._store.extend_lease(ref.job_id, owner=self._worker_id, lease_seconds=self._lease)

        message.heartbeat_callbacks.append(extend)
        started = time.perf_counter()
        try:
            job = await self.work(job, ref)
        except BaseException:
            self._observe(started, "error", ref.job_id)
            # Whatever went wrong, let the retry (on any worker) claim the job at once.
            await asyncio.shield(self._store.release_lease(ref.job_id, owner=self._worker_id))
            raise
        await self._publish_and_clear(job)
        self._observe(started, "ok" if job.status == self.done else job.status.value, ref.job_id)
        if job.status == JobStatus.COMPLETED:
            emit_many({Metric.JOBS_COMPLETED: 1, Metric.TIME_TO_IMAGE: _ms_since(job.createdAt)},
                      properties={"jobId": job.jobId})

    def _observe(self, started: float, outcome: str, job_id: str) -> None:
        emit(Metric.STAGE_DURATION, (time.perf_counter() - started) * 1000, properties={"jobId": job_id},
             stage=self.stage, outcome=outcome)

    async def advance(self, ref: JobRef, fields: dict[str, object], *, to: JobStatus | None = None) -> Job:
        """Move the held job to ``done`` (or ``to``, one of ``also_done``), with the outbox mark
        that says its event has not left yet."""
        to = to or self.done
        return await self._store.advance(ref.job_id, attempt=ref.attempt, to=to, owner=self._worker_id,
                                         fields={**fields, "pendingEvent": self._event_of(to).value})

    def _event_of(self, status: JobStatus) -> DetailType:
        return self.also_done.get(status, self.event)

    async def _publish_and_clear(self, job: Job) -> None:
        await self.publish(job)
        try:
            await self._store.clear_pending_event(job.jobId, self._event_of(job.status).value)
        except Exception:  # noqa: BLE001 - a duplicate then re-publishes the same event id: harmless
            _log.warning("pending_event_not_cleared", exc_info=True)

    async def _claim(self, ref: JobRef) -> Job | None:
        try:
            return await self._store.claim(ref.job_id, attempt=ref.attempt, to=self.working,
                                           owner=self._worker_id, lease_seconds=self._lease)
        except JobTransitionConflictError as conflict:
            job = conflict.job
        if job.attempt != ref.attempt:
            _log.info("stale_message", current_attempt=job.attempt)
            return None
        if job.status == self.done or job.status in self.also_done:
            # Done earlier; if that worker died before the event left, publish it now (same event id).
            if await self._store.pending_event(job.jobId) == self._event_of(job.status).value:
                await self._publish_and_clear(job)
            else:
                _log.info("duplicate_message", status=job.status.value)
            return None
        if job.status == self.working:
            remaining = max(1.0, (job.leaseExpiresAt or 0) - time.time())
            raise TransientError(f"another worker holds this job ({job.status.value})", retry_after=remaining)
        if job.status in self.too_early:
            raise TransientError(f"job is still {job.status.value}")
        _log.info("duplicate_message", status=job.status.value)
        return None

    async def on_failure(self, message: QueueMessage, error: Exception) -> None:
        ref = self.parse(message)
        failure = public_failure(error)
        if failure.code == FailureCode.INTERNAL_ERROR:  # the detail stays here, never in the job
            _log.error("job_failed_internally", jobId=ref.job_id, error=str(error) or type(error).__name__,
                       error_type=type(error).__name__)
        if await fail_job(self._store, self._publisher, job_id=ref.job_id, attempt=ref.attempt, stage=self.stage,
                          failure=failure, service=self.service):
            emit(Metric.JOBS_FAILED, 1, properties={"jobId": ref.job_id}, stage=self.stage,
                 reason=failure.code.value)


def _ms_since(iso: str) -> float:
    """Milliseconds from an ISO timestamp of the job's to now (0 when it cannot be read)."""
    try:
        return max(0.0, (datetime.now(UTC) - datetime.fromisoformat(iso)).total_seconds() * 1000)
    except ValueError:
        return 0.0
