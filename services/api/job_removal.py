"""Deleting a finished job: its images (and source photo) from S3, then its record."""

from __future__ import annotations

from services.common.errors import JobNotFoundError, PermanentError
from services.common.job import Job
from services.common.job_files import JobFiles, job_prefix
from services.common.job_store import JobStore
from services.common.logging import get_logger

__all__ = ["JobRemover", "JobRunningAgainError"]

_log = get_logger(__name__)


class JobRunningAgainError(PermanentError):
    """The job was retried while it was being deleted: it is running again (``status`` says where)."""

    def __init__(self, status: str) -> None:
        super().__init__(f"The job is {status} again; delete it once it has finished.")
        self.status = status


class JobRemover:
    def __init__(self, store: JobStore, files: JobFiles) -> None:
        self._store = store
        self._files = files

    async def remove(self, job: Job, *, tenant: str) -> None:
        keys = {(image.bucket, image.key) for image in job.images}
        if job.sourceImageKey:
            keys.add((self._files.bucket, job.sourceImageKey))
        # Everything under the job's prefix too: variants from an earlier attempt are the caller's as well.
        keys.update((self._files.bucket, key) for key in await self._files.keys_under(job_prefix(job.jobId)))
        by_bucket: dict[str, list[str]] = {}
        for bucket, key in keys:
            by_bucket.setdefault(bucket, []).append(key)
        for bucket, names in by_bucket.items():
            await self._files.delete(names, bucket=bucket)
        if not await self._store.delete_finished(job.jobId, tenant=tenant):
            # Retried meanwhile (running again) or deleted by a concurrent request.
            current = await self._store.get(job.jobId)
            if current is None:
                raise JobNotFoundError(f"job {job.jobId} was deleted meanwhile")
            raise JobRunningAgainError(current.status.value)
        _log.info("job_deleted", jobId=job.jobId, objects=len(keys))
