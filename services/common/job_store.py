"""Job persistence: the port the services use (its DynamoDB adapter: adapters/dynamo_job_store.py).

Every state move is conditional on the job's current state (see job_states.py): a refused
move raises ``JobTransitionConflictError`` carrying the job as it is, a missing job
``JobNotFoundError``; a store that cannot answer ``DependencyUnavailableError``.
"""

from __future__ import annotations

from typing import Any, Protocol

from services.common.job import Job
from services.common.job_states import JobStatus

__all__ = ["JobStore", "JobPage", "retry_fields", "RETRY_REMOVES"]

#: What a retry clears: the old attempt's failure, its quality report and whoever held it.
RETRY_REMOVES = ("error", "qa", "leaseOwner", "leaseExpiresAt")


def retry_fields(current: Job, now_iso: str) -> dict[str, Any]:
    """What a retry writes: pending again, under the next attempt number, with no images."""
    return {"status": JobStatus.PENDING.value, "updatedAt": now_iso, "timestamps": {"pending": now_iso},
            "images": [], "attempt": current.attempt + 1}


class JobPage:
    """One page of a tenant's jobs, newest first, with an opaque cursor for the next."""

    def __init__(self, jobs: list[Job], cursor: str | None) -> None:
        self.jobs = jobs
        self.cursor = cursor


class JobStore(Protocol):
    async def check(self) -> None:
        """Raise when the store cannot be reached (readiness)."""

    async def create(self, job: Job) -> None: ...
    async def get(self, job_id: str) -> Job | None: ...
    async def claim(self, job_id: str, *, attempt: int, to: JobStatus, owner: str, lease_seconds: float) -> Job: ...
    async def extend_lease(self, job_id: str, *, owner: str, lease_seconds: float) -> bool: ...
    async def release_lease(self, job_id: str, *, owner: str) -> bool: ...
    async def pending_event(self, job_id: str) -> str | None: ...
    async def clear_pending_event(self, job_id: str, event: str) -> None: ...
    async def note_redrive(self, job_id: str, *, status: JobStatus, updated_at: str) -> int | None: ...
    async def advance(
        self, job_id: str, *, attempt: int, to: JobStatus, owner: str | None, fields: dict[str, Any] | None = None,
        from_: JobStatus | None = None,
    ) -> Job: ...
    async def fail(
        self, job_id: str, *, stage: str, reason: str, code: str, attempt: int | None = None
    ) -> Job | None: ...
    async def reset_for_retry(self, job_id: str, *, tenant: str) -> Job: ...
    async def list_for_tenant(
        self, tenant: str, *, status: str | None, limit: int, cursor: str | None
    ) -> JobPage: ...
    async def count_unfinished_for_tenant(self, tenant: str, *, created_after: str, at_most: int) -> int:
        """How many of ``tenant``'s jobs created after ``created_after`` (ISO 8601) are not finished;
        the count may stop once it reaches ``at_most`` (a quota check needs no more)."""
        ...
    async def find_unfinished(self, *, older_than_epoch: float) -> list[Job]: ...
    async def set_fields(self, job_id: str, fields: dict[str, Any]) -> None: ...
    async def delete_finished(self, job_id: str, *, tenant: str) -> bool: ...
