"""The JobStore port in memory, with the DynamoDB adapter's conditions (see job_states.py)."""

from __future__ import annotations

import base64
import copy
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from typing import Any

from services.common.errors import (
    DependencyUnavailableError,
    JobIdTakenError,
    JobNotFoundError,
    JobTransitionConflictError,
)
from services.common.job import Job, utc_now_iso
from services.common.job_states import LEASED, TERMINAL, JobStatus, advance_sources, predecessors
from services.common.job_store import RETRY_REMOVES, JobPage, retry_fields

__all__ = ["InMemoryJobStore"]

_JOB_FIELDS = {f.name for f in dataclass_fields(Job)}


class InMemoryJobStore:
    """``jobs`` holds the stored Job objects themselves (a test may put or inspect them);
    every answer is a copy. ``extras`` holds what is not a Job field (``pendingEvent``,
    ``redrives``). ``down`` makes every call fail as an unreachable table does."""

    def __init__(self, jobs: Iterable[Job] = ()) -> None:
        self.jobs: dict[str, Job] = {j.jobId: j for j in jobs}
        self.extras: dict[str, dict[str, Any]] = {}
        self.down = False

    @property
    def redrives(self) -> _Redrives:
        return _Redrives(self.extras)

    def _check_up(self) -> None:
        if self.down:
            raise DependencyUnavailableError("job store unavailable (fake endpoint down)")

    async def check(self) -> None:
        self._check_up()

    async def create(self, job: Job) -> None:
        self._check_up()
        if job.jobId in self.jobs:
            raise JobIdTakenError("job store: ConditionalCheckFailedException")
        self.jobs[job.jobId] = copy.deepcopy(job)

    async def get(self, job_id: str) -> Job | None:
        self._check_up()
        return copy.deepcopy(self.jobs.get(job_id))

    def _update(self, job_id: str, wanted: JobStatus | str, condition: Callable[[Job], bool],
                sets: dict[str, Any], removes: Iterable[str] = ()) -> Job:
        self._check_up()
        job = self.jobs.get(job_id)
        if job is None:
            raise JobNotFoundError(f"job {job_id} does not exist (expired or never created)")
        if not condition(job):
            raise JobTransitionConflictError(copy.deepcopy(job), str(wanted))
        item = json.loads(json.dumps(job.to_item()))
        extras = self.extras.setdefault(job_id, {})
        for name, value in sets.items():
            head, _, rest = name.partition(".")
            target = item if head in _JOB_FIELDS else extras
            if rest:
                target.setdefault(head, {})[rest] = copy.deepcopy(value)
            else:
                target[head] = copy.deepcopy(value)
        for name in removes:
            item.pop(name, None)
            extras.pop(name, None)
        updated = Job.from_item(item)
        for name in _JOB_FIELDS:  # in place: a test holding the stored job sees the move
            setattr(job, name, getattr(updated, name))
        return copy.deepcopy(job)

    @staticmethod
    def _entered(to: JobStatus) -> dict[str, Any]:
        now = utc_now_iso()
        return {"status": to.value, "updatedAt": now, f"timestamps.{to.value}": now}

    async def claim(self, job_id: str, *, attempt: int, to: JobStatus, owner: str, lease_seconds: float) -> Job:
        if to not in LEASED:
            raise ValueError(f"{to} is not a leased state")
        now = time.time()
        sources = predecessors(to) - {JobStatus.FAILED}

        def may(job: Job) -> bool:
            expired = job.status == to and (job.leaseExpiresAt or 0) < now
            return job.attempt == attempt and (job.status in sources or expired)

        sets = self._entered(to) | {"leaseOwner": owner, "leaseExpiresAt": now + lease_seconds}
        return self._update(job_id, to, may, sets)

    async def _lease(self, job_id: str, owner: str, expires: float) -> bool:
        try:
            self._update(job_id, "lease", lambda job: job.leaseOwner == owner, {"leaseExpiresAt": expires})
        except (JobTransitionConflictError, JobNotFoundError):
            return False
        return True

    async def extend_lease(self, job_id: str, *, owner: str, lease_seconds: float) -> bool:
        return await self._lease(job_id, owner, time.time() + lease_seconds)

    async def release_lease(self, job_id: str, *, owner: str) -> bool:
        return await self._lease(job_id, owner, 0)

    async def pending_event(self, job_id: str) -> str | None:
        self._check_up()
        value = self.extras.get(job_id, {}).get("pendingEvent")
        return str(value) if value else None

    async def clear_pending_event(self, job_id: str, event: str) -> None:
        self._check_up()
        extras = self.extras.get(job_id, {})
        if extras.get("pendingEvent") == event:
            del extras["pendingEvent"]

    async def note_redrive(self, job_id: str, *, status: JobStatus, updated_at: str) -> int | None:
        self._check_up()
        job = self.jobs.get(job_id)
        if job is None or job.status != status or job.updatedAt != updated_at:
            return None
        extras = self.extras.setdefault(job_id, {})
        extras["redrives"] = int(extras.get("redrives", 0)) + 1
        job.updatedAt = utc_now_iso()
        return int(extras["redrives"])

    async def advance(self, job_id: str, *, attempt: int, to: JobStatus, owner: str | None,
                      fields: dict[str, Any] | None = None, from_: JobStatus | None = None) -> Job:
        sources = advance_sources(to, from_)

        def may(job: Job) -> bool:
            return job.attempt == attempt and job.status in sources and (owner is None or job.leaseOwner == owner)

        return self._update(job_id, to, may, self._entered(to) | dict(fields or {}), ["leaseOwner", "leaseExpiresAt"])

    async def fail(
        self, job_id: str, *, stage: str, reason: str, code: str, attempt: int | None = None
    ) -> Job | None:
        def may(job: Job) -> bool:
            return job.status not in TERMINAL and (attempt is None or job.attempt == attempt)

        sets = self._entered(JobStatus.FAILED) | {"error": {"stage": stage, "reason": reason, "code": code}}
        try:
            return self._update(job_id, JobStatus.FAILED, may, sets, ["leaseOwner", "leaseExpiresAt"])
        except (JobTransitionConflictError, JobNotFoundError):
            return None

    async def reset_for_retry(self, job_id: str, *, tenant: str) -> Job:
        current = await self.get(job_id)
        if current is None:
            raise JobNotFoundError(f"job {job_id} does not exist (expired or never created)")
        sets = retry_fields(current, utc_now_iso())

        def may(job: Job) -> bool:
            return job.status == JobStatus.FAILED and job.tenant == tenant and job.attempt == current.attempt

        return self._update(job_id, JobStatus.PENDING, may, sets, RETRY_REMOVES)

    async def set_fields(self, job_id: str, fields: dict[str, Any]) -> None:
        self._update(job_id, "fields", lambda _: True, dict(fields))

    async def list_for_tenant(self, tenant: str, *, status: str | None, limit: int, cursor: str | None) -> JobPage:
        self._check_up()
        mine = sorted((j for j in self.jobs.values() if j.tenant == tenant), key=lambda j: j.createdAt, reverse=True)
        start = int(json.loads(base64.urlsafe_b64decode(cursor.encode()))["offset"]) if cursor else 0
        page = mine[start : start + limit]
        more = start + limit < len(mine)
        next_cursor = base64.urlsafe_b64encode(json.dumps({"offset": start + limit}).encode()).decode()
        return JobPage([copy.deepcopy(j) for j in page if status is None or j.status == status],
                       next_cursor if more else None)

    async def count_unfinished_for_tenant(self, tenant: str, *, created_after: str, at_most: int) -> int:
        self._check_up()
        return sum(1 for j in self.jobs.values()
                   if j.tenant == tenant and j.createdAt > created_after and j.status not in TERMINAL)

    async def find_unfinished(self, *, older_than_epoch: float) -> list[Job]:
        self._check_up()
        cutoff = datetime.fromtimestamp(older_than_epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return [copy.deepcopy(j) for j in self.jobs.values()
                if j.status not in TERMINAL and j.createdAt < cutoff and j.updatedAt < cutoff]

    async def delete_finished(self, job_id: str, *, tenant: str) -> bool:
        self._check_up()
        job = self.jobs.get(job_id)
        if job is None or job.tenant != tenant or job.status not in TERMINAL:
            return False
        del self.jobs[job_id]
        self.extras.pop(job_id, None)
        return True


class _Redrives:
    """``store.redrives[job_id]``: the sweeper's re-drive count, readable and settable by tests."""

    def __init__(self, extras: dict[str, dict[str, Any]]) -> None:
        self._extras = extras

    def __getitem__(self, job_id: str) -> int:
        return int(self._extras.get(job_id, {}).get("redrives", 0))

    def __setitem__(self, job_id: str, count: int) -> None:
        self._extras.setdefault(job_id, {})["redrives"] = count
