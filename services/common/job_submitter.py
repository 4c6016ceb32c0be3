"""Accepting a job: write it, queue it, announce it; never leave it pending forever."""

from __future__ import annotations

import asyncio
from typing import Any

from jsonschema import ValidationError

from services.common.errors import JobNotFoundError, JobTransitionConflictError, ProductshotError
from services.common.events import DetailType, EventPublisher, build_detail, source_for
from services.common.failure_codes import SENTENCES, FailureCode
from services.common.job import Job, JobOptions
from services.common.job_failures import PublicFailure, fail_job
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger
from services.common.messages import PolitenessOverride, scrape_request_body
from services.common.metrics import Metric, emit
from services.common.product import Product
from services.common.stage_events import publish_product_scraped
from services.common.work_queue import WorkQueue

__all__ = ["JobSubmitter", "QueueUnavailableError", "JobNotRetryableError"]

_log = get_logger(__name__)
_NOT_QUEUED = SENTENCES[FailureCode.QUEUE_UNAVAILABLE]


class QueueUnavailableError(ProductshotError):
    """The job was written but could not be queued; it has been failed, the client gets 503."""


class JobNotRetryableError(ProductshotError):
    """Only a failed job can be retried; this one is elsewhere (``status`` says where)."""

    def __init__(self, status: str) -> None:
        super().__init__(f"only a failed job can be retried; this one is {status}")
        self.status = status


class JobSubmitter:
    def __init__(
        self,
        *,
        store: JobStore,
        publisher: EventPublisher,
        queue: WorkQueue,
        scrape_queue: str,
        ttl_hours: int,
        handoff_timeout: float = 5.0,
    ) -> None:
        self._store = store
        # Bound on each queue send / event publish inside a request: the SDK's own retries
        # against a dead endpoint would otherwise hold the client for tens of seconds.
        self._timeout = handoff_timeout
        self._publisher = publisher
        self._queue = queue
        self._scrape_queue = scrape_queue
        self._ttl_hours = ttl_hours
        # JobAccepted is best effort (a lost one is only logged), so the client does not wait
        # for it: it is published after the 202, and aclose() lets what is pending finish.
        self._announcing: set[asyncio.Task[None]] = set()

    async def aclose(self, timeout: float | None = None) -> None:
        """Waits (at most ``timeout``, default the hand-off timeout) for pending JobAccepted events."""
        pending = set(self._announcing)
        if pending:
            await asyncio.wait(pending, timeout=self._timeout if timeout is None else timeout)

    async def submit_url(
        self,
        product_url: str,
        *,
        tenant: str = "default",
        options: JobOptions | None = None,
        metadata: dict[str, Any] | None = None,
        job_id: str | None = None,
        batch_id: str | None = None,
        politeness: PolitenessOverride | None = None,
        ttl_hours: int | None = None,
    ) -> Job:
        """``batch_id``/``politeness``/``ttl_hours``: a batch's job (docs/batches.md) lives as long as its batch."""
        job = Job.new(
            ttl_hours=ttl_hours or self._ttl_hours,
            productUrl=product_url,
            tenant=tenant,
            options=options or JobOptions(),
            metadata=metadata or {},
            jobId=job_id,
            batchId=batch_id,
        )
        await self._store.create(job)
        await self._enqueue(job, politeness)
        self._announce_later(job, mode="scrape")
        emit(Metric.JOBS_ACCEPTED, 1, properties={"jobId": job.jobId}, mode="scrape")
        return job

    async def submit_product(
        self,
        product: dict[str, Any],
        *,
        tenant: str,
        options: JobOptions,
        metadata: dict[str, Any],
        job_id: str,
        source_image_key: str | None,
        batch_id: str | None = None,
        ttl_hours: int | None = None,
    ) -> Job:
        """A job whose product the caller gave: created ``scraped`` and handed to the renderer."""
        job = Job.new(
            ttl_hours=ttl_hours or self._ttl_hours,
            batchId=batch_id,
            status=JobStatus.SCRAPED,
            tenant=tenant,
            options=options,
            metadata=metadata,
            jobId=job_id,
            product=product,
            sourceImageKey=source_image_key,
        )
        await self._store.create(job)
        await self._hand_to_renderer(job)
        self._announce_later(job, mode="product")
        emit(Metric.JOBS_ACCEPTED, 1, properties={"jobId": job.jobId}, mode="product")
        return job

    async def retry(self, job_id: str, *, tenant: str) -> Job:
        """failed -> a new attempt, queued again the way the job first ran."""
        try:
            job = await self._store.reset_for_retry(job_id, tenant=tenant)
        except JobTransitionConflictError as conflict:
            current = conflict.job
            if current.tenant != tenant:
                raise JobNotFoundError(f"job {job_id} not found") from conflict
            raise JobNotRetryableError(current.status.value) from conflict
        _log.info("job_retried", jobId=job.jobId, attempt=job.attempt)
        if job.product is not None and not job.productUrl:
            job = await self._store.advance(job.jobId, attempt=job.attempt, to=JobStatus.SCRAPED, owner=None)
            await self._hand_to_renderer(job)
            self._announce_later(job, mode="product")
        else:
            await self._enqueue(job)
            self._announce_later(job, mode="scrape")
        return job

    async def _enqueue(self, job: Job, politeness: PolitenessOverride | None = None) -> None:
        try:
            body = scrape_request_body(job.jobId, job.attempt, politeness)
            await asyncio.wait_for(self._queue.send(self._scrape_queue, body), self._timeout)
        except (ProductshotError, TimeoutError) as exc:
            await self._give_up(job, "queued", exc)

    async def _hand_to_renderer(self, job: Job) -> None:
        # Source productshot.scraper on purpose: the render rule matches it, as for scraped jobs.
        # The event carries every product field (null when unknown), whatever an older record holds.
        job.product = Product.from_dict(job.product or {}).to_dict()
        try:
            await asyncio.wait_for(
                publish_product_scraped(self._publisher, job, service="api"), self._timeout
            )
        except (ProductshotError, ValidationError, TimeoutError) as exc:
            await self._give_up(job, "render", exc)

    async def _give_up(self, job: Job, stage: str, exc: Exception) -> None:
        """Written but not handed on: fail it now (never stuck pending) and tell the client 503."""
        _log.error("handoff_failed", jobId=job.jobId, stage=stage, error=str(exc))
        try:
            await asyncio.wait_for(
                fail_job(
                    self._store,
                    self._publisher,
                    job_id=job.jobId,
                    attempt=job.attempt,
                    stage=stage,
                    failure=PublicFailure(FailureCode.QUEUE_UNAVAILABLE, _NOT_QUEUED),
                    service="api",
                ),
                self._timeout,
            )
        except Exception:  # noqa: BLE001 - the sweeper fails it later if this did not land
            _log.exception("fail_after_handoff_failed", jobId=job.jobId)
        raise QueueUnavailableError("the job queue is unavailable; try again shortly") from exc

    def _announce_later(self, job: Job, *, mode: str) -> None:
        task = asyncio.get_running_loop().create_task(self._announce(job, mode=mode))
        self._announcing.add(task)
        task.add_done_callback(self._announcing.discard)

    async def _announce(self, job: Job, *, mode: str) -> None:
        detail = build_detail(
            DetailType.JOB_ACCEPTED,
            job,
            {
                "productUrl": job.productUrl,
                "mode": mode,
                "options": {
                    "formats": job.options.formats,
                    "output": job.options.output,
                    "style": job.options.style,
                },
            },
        )
        try:
            await asyncio.wait_for(
                self._publisher.publish(
                    DetailType.JOB_ACCEPTED, detail, source=source_for(DetailType.JOB_ACCEPTED)
                ),
                self._timeout,
            )
        except (ProductshotError, TimeoutError) as exc:
            # The job is queued and will run; a lost JobAccepted must not turn that into an error.
            _log.warning("job_accepted_not_published", jobId=job.jobId, reason=str(exc) or "timeout")
