"""Failing a job: one conditional write plus its JobFailed event, safe to repeat."""

from __future__ import annotations

from services.common.events import DetailType, EventPublisher, build_detail, source_for
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger

__all__ = ["fail_job"]

_log = get_logger(__name__)


async def fail_job(
    store: JobStore, publisher: EventPublisher, *, job_id: str, attempt: int | None, stage: str, reason: str,
    service: str,
) -> bool:
    """Mark the job failed and publish JobFailed; True when this call (or an earlier one) failed it.

    When an earlier call wrote the failure but could not publish, the event is published now
    (its id is deterministic, so subscribers see one event).
    """
    job = await store.fail(job_id, stage=stage, reason=reason, attempt=attempt)
    if job is None:
        job = await store.get(job_id)
        if job is None or job.status != JobStatus.FAILED or (attempt is not None and job.attempt != attempt):
            return False
    error = job.error or {"stage": stage, "reason": reason}
    _log.warning("job_failed", jobId=job_id, stage=error["stage"], reason=error["reason"])
    detail = build_detail(DetailType.JOB_FAILED, job, {"stage": error["stage"], "reason": error["reason"],
                                                        "retryable": False})
    await publisher.publish(DetailType.JOB_FAILED, detail, source=source_for(DetailType.JOB_FAILED, service))
    return True
