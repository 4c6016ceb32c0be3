"""Deleting a finished job: its images (and source photo) from S3, then its record."""

from __future__ import annotations

from typing import Any

from services.api.problems import Problem
from services.common.job import Job
from services.common.job_store import JobStore
from services.common.logging import get_logger

__all__ = ["JobRemover"]

_log = get_logger(__name__)


class JobRemover:
    def __init__(self, store: JobStore, s3: Any, bucket: str) -> None:
        self._store = store
        self._s3 = s3
        self._bucket = bucket

    async def remove(self, job: Job, *, tenant: str) -> None:
        keys = {(image.bucket, image.key) for image in job.images}
        if job.sourceImageKey:
            keys.add((self._bucket, job.sourceImageKey))
        # Everything under the job's prefix too: variants from an earlier attempt are the caller's as well.
        paginator = self._s3.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=self._bucket, Prefix=f"jobs/{job.jobId}/"):
            keys.update((self._bucket, obj["Key"]) for obj in page.get("Contents", []))
        by_bucket: dict[str, list[str]] = {}
        for bucket, key in keys:
            by_bucket.setdefault(bucket, []).append(key)
        for bucket, names in by_bucket.items():
            for start in range(0, len(names), 1000):
                batch = [{"Key": k} for k in names[start : start + 1000]]
                await self._s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        if not await self._store.delete_finished(job.jobId, tenant=tenant):
            # Retried meanwhile (running again) or deleted by a concurrent request.
            current = await self._store.get(job.jobId)
            if current is None:
                raise Problem(404, "No job with this id.")
            raise Problem(409, f"The job is {current.status.value} again; delete it once it has finished.")
        _log.info("job_deleted", jobId=job.jobId, objects=len(keys))
