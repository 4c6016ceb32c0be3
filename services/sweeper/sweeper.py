"""One sweep over the unfinished jobs: re-drive what was dropped, fail what cannot finish.

A job is *stuck* when its status has not changed for ``stuck_after`` seconds. Then:

- a worker still holds it (``scraping``/``rendering`` with a live lease; heartbeats keep
  extending it): left alone, unless it is older than ``give_up_after``;
- otherwise the message that would move it on was lost (or the worker died after its
  message was dead-lettered): the sweeper counts a re-drive on the job (conditional on the
  state it read, so two sweepers never both act) and sends it again: the scrape request
  for ``pending``/``scraping``, the ProductScraped event for ``scraped``/``rendering``.
  Both are idempotent for the workers (conditional claims, deterministic event ids);
- after ``max_redrives`` re-drives without progress, or past ``give_up_after``, the job is
  failed with a reason a person can read (and JobFailed is published).

A job in ``review`` waits for a person, not for a message: it is never re-driven and
``give_up_after`` does not apply; it is failed once it has waited longer than
``review_deadline`` since it entered review.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog

from services.common.events import EventPublisher
from services.common.failure_codes import FailureCode
from services.common.job import Job
from services.common.job_failures import PublicFailure, fail_job
from services.common.job_states import LEASED, STAGE, JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger
from services.common.messages import scrape_request_body
from services.common.stage_events import publish_product_scraped
from services.common.work_queue import WorkQueue

__all__ = ["Sweeper", "SweepPolicy", "SweepReport", "age_of"]

_log = get_logger(__name__)
# Which service a stuck stage belongs to (the ``source`` of the JobFailed event).
_SERVICE = {
    JobStatus.PENDING: "scraper",
    JobStatus.SCRAPING: "scraper",
    JobStatus.REVIEW: "scraper",
    JobStatus.SCRAPED: "renderer",
    JobStatus.RENDERING: "renderer",
}


@dataclass(frozen=True, slots=True)
class SweepPolicy:
    stuck_after: float
    max_redrives: int
    give_up_after: float
    review_deadline: float = 12 * 3600.0  # seconds a job may wait in review for a person


@dataclass(slots=True)
class SweepReport:
    examined: int = 0
    redriven: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # a live worker has it, or it waits for a review
    errors: list[str] = field(default_factory=list)  # could not be handled this time round

    def as_dict(self) -> dict[str, Any]:
        return {
            "examined": self.examined,
            "redriven": len(self.redriven),
            "failed": len(self.failed),
            "held": len(self.held),
            "errors": len(self.errors),
        }


def age_of(iso: str, now: float) -> float:
    """Seconds from the ISO time ``iso`` to ``now`` (epoch seconds)."""
    return now - datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


class Sweeper:
    def __init__(
        self, *, store: JobStore, publisher: EventPublisher, queue: WorkQueue, scrape_queue: str,
        policy: SweepPolicy,
    ) -> None:
        self._store = store
        self._publisher = publisher
        self._queue = queue
        self._scrape_queue = scrape_queue
        self._policy = policy

    async def sweep_once(self) -> SweepReport:
        now = time.time()
        report = SweepReport()
        for job in await self._store.find_unfinished(older_than_epoch=now - self._policy.stuck_after):
            report.examined += 1
            with structlog.contextvars.bound_contextvars(jobId=job.jobId, status=job.status.value):
                try:
                    await self._sweep(job, now, report)
                except Exception:  # noqa: BLE001 - one bad job must not stop the sweep of the others
                    _log.exception("sweep_job_failed")
                    report.errors.append(job.jobId)
        _log.info("sweep_done", **report.as_dict())
        return report

    async def _sweep(self, job: Job, now: float, report: SweepReport) -> None:
        if job.status == JobStatus.REVIEW:
            await self._sweep_review(job, now, report)
            return
        age = age_of(job.createdAt, now)
        idle = age_of(job.updatedAt, now)
        if age > self._policy.give_up_after:
            limit = self._policy.give_up_after / 3600
            await self._fail(
                job,
                report,
                FailureCode.TIMED_OUT,
                f"stuck in '{job.status.value}' for {idle / 60:.0f} min; "
                f"the job is {age / 3600:.1f} h old, past the {limit:.1f} h limit",
            )
            return
        if job.status in LEASED and (job.leaseExpiresAt or 0) > now:
            report.held.append(job.jobId)
            return
        redrives = await self._store.note_redrive(job.jobId, status=job.status, updated_at=job.updatedAt)
        if redrives is None:
            return  # it moved (or another sweeper acted) since we read it
        if redrives > self._policy.max_redrives:
            await self._fail(
                job,
                report,
                FailureCode.TIMED_OUT,
                f"stuck in '{job.status.value}' for {idle / 60:.0f} min after "
                f"{self._policy.max_redrives} re-drives without progress",
            )
            return
        if job.status in (JobStatus.PENDING, JobStatus.SCRAPING):
            await self._queue.send(self._scrape_queue, scrape_request_body(job.jobId, job.attempt))
        else:
            await publish_product_scraped(self._publisher, job)
        _log.warning("job_redriven", redrive=redrives, idle_s=round(idle))
        report.redriven.append(job.jobId)

    async def _sweep_review(self, job: Job, now: float, report: SweepReport) -> None:
        waited = age_of(job.timestamps.get(JobStatus.REVIEW.value) or job.updatedAt, now)
        if waited <= self._policy.review_deadline:
            report.held.append(job.jobId)
            return
        facts = ", ".join(job.reviewFacts) or "facts"
        await self._fail(
            job,
            report,
            FailureCode.REVIEW_EXPIRED,
            f"nobody reviewed the uncertain facts ({facts}) within {self._policy.review_deadline / 3600:g} hours; "
            "retry the job, or submit the product facts yourself",
        )

    async def _fail(self, job: Job, report: SweepReport, code: FailureCode, reason: str) -> None:
        # The reasons are ours (durations and fact names), safe for the tenant to read.
        if await fail_job(
            self._store,
            self._publisher,
            job_id=job.jobId,
            attempt=job.attempt,
            stage=STAGE[job.status],
            failure=PublicFailure(code, reason),
            service=_SERVICE[job.status],
        ):
            report.failed.append(job.jobId)
