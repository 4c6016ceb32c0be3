"""Failing a job: one conditional write plus its JobFailed event, safe to repeat.

What the job record, the API and the JobFailed event say is a ``PublicFailure``: a code
from the closed set in ``failure_codes`` and a sentence that names nothing internal. The
error itself (an SDK message naming an account, an exception class) goes to the logs only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.common.errors import ProductshotError, RetriesExhaustedError
from services.common.events import DetailType, EventPublisher, build_detail, source_for
from services.common.failure_codes import SENTENCES, FailureCode
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger

__all__ = ["PublicFailure", "public_failure", "fail_job"]

_log = get_logger(__name__)


@dataclass(frozen=True)
class PublicFailure:
    """Why a job failed, as its tenant and subscribers may see it."""

    code: FailureCode
    reason: str


def public_failure(error: BaseException) -> PublicFailure:
    """The code and sentence ``error`` shows outside; decided by its type, never its text."""
    if isinstance(error, RetriesExhaustedError):
        last = public_failure(error.last)
        return PublicFailure(last.code, f"gave up after {error.attempts} attempts: {last.reason}")
    if isinstance(error, ProductshotError):
        code = error.failure_code
        return PublicFailure(code, error.reason if error.public_reason else SENTENCES[code])
    return PublicFailure(FailureCode.INTERNAL_ERROR, SENTENCES[FailureCode.INTERNAL_ERROR])


async def fail_job(
    store: JobStore, publisher: EventPublisher, *, job_id: str, attempt: int | None, stage: str,
    failure: PublicFailure, service: str,
) -> bool:
    """Mark the job failed and publish JobFailed; True when this call (or an earlier one) failed it.

    When an earlier call wrote the failure but could not publish, the event is published now
    (its id is deterministic, so subscribers see one event).
    """
    job = await store.fail(job_id, stage=stage, reason=failure.reason, code=failure.code.value, attempt=attempt)
    if job is None:
        job = await store.get(job_id)
        if job is None or job.status != JobStatus.FAILED or (attempt is not None and job.attempt != attempt):
            return False
    error = job.error or {"stage": stage, "reason": failure.reason, "code": failure.code.value}
    _log.warning("job_failed", jobId=job_id, stage=error["stage"], reason=error["reason"], code=error.get("code"))
    outcome: dict[str, Any] = {"stage": error["stage"], "reason": error["reason"], "retryable": False}
    if error.get("code"):  # records failed before codes existed have none
        outcome["code"] = error["code"]
    detail = build_detail(DetailType.JOB_FAILED, job, outcome)
    await publisher.publish(DetailType.JOB_FAILED, detail, source=source_for(DetailType.JOB_FAILED, service))
    return True
