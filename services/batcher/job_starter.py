"""Starting a batch row's job through the same submitter the API uses (one way to create a job).

The job gets the row's ``jobId`` (fixed when the row was stored), the batch's id, its
politeness (product-page rows) and the batch's lifetime. Starting is idempotent per job id:
a job that already exists (a release retried after a crash, or another worker releasing
the same row at the same moment) is left as it is; the sweeper recovers one left pending.
"""

from __future__ import annotations

from typing import Any, Protocol

from services.common.batch import Batch, BatchItem
from services.common.errors import JobIdTakenError
from services.common.job import Job, JobOptions
from services.common.job_store import JobStore
from services.common.messages import PolitenessOverride

__all__ = ["Submitter", "ProductPhotos", "PhotoCopier", "KeptPhotos", "BatchJobStarter"]


class Submitter(Protocol):
    """What the batch needs of services.common.job_submitter.JobSubmitter."""

    async def submit_url(self, product_url: str, *, tenant: str = ..., options: JobOptions | None = ...,
                         metadata: dict[str, Any] | None = ..., job_id: str | None = ..., batch_id: str | None = ...,
                         politeness: PolitenessOverride | None = ..., ttl_hours: int | None = ...) -> Job: ...

    async def submit_product(self, product: dict[str, Any], *, tenant: str, options: JobOptions,
                             metadata: dict[str, Any], job_id: str, source_image_key: str | None,
                             batch_id: str | None = ..., ttl_hours: int | None = ...) -> Job: ...


class ProductPhotos(Protocol):
    async def keep(self, job_id: str, product: dict[str, Any]) -> str | None:
        """Fetch the product's ``imageUrl`` safely into S3 (as the API does); its key, or None without one."""


class PhotoCopier(Protocol):
    """What the batch needs of services.common.source_image.SourceImageStore."""

    async def copy(self, job_id: str, url: str) -> str: ...


class KeptPhotos:
    """ProductPhotos over the API's photo keeper: a product's ``imageUrl`` fetched safely into S3."""

    def __init__(self, images: PhotoCopier) -> None:
        self._images = images

    async def keep(self, job_id: str, product: dict[str, Any]) -> str | None:
        url = product.get("imageUrl")
        return await self._images.copy(job_id, url) if isinstance(url, str) and url else None


_OPTION_NAMES = ("formats", "output", "style", "overlay", "onUncertain", "onFidelityFailure")


class BatchJobStarter:
    def __init__(self, *, jobs: JobStore, submitter: Submitter, photos: ProductPhotos, ttl_hours: int) -> None:
        self._jobs = jobs
        self._submitter = submitter
        self._photos = photos
        self._ttl_hours = ttl_hours

    async def start(self, batch: Batch, item: BatchItem) -> bool:
        if await self._jobs.get(item.jobId) is not None:
            return False
        request = item.request
        options = JobOptions.from_dict({k: request[k] for k in _OPTION_NAMES if k in request})
        metadata = dict(request.get("metadata") or {})
        product = request.get("product")
        try:
            if isinstance(product, dict):
                key = await self._photos.keep(item.jobId, product)
                await self._submitter.submit_product(product, tenant=batch.tenant, options=options,
                                                     metadata=metadata, job_id=item.jobId, source_image_key=key,
                                                     batch_id=batch.batchId, ttl_hours=self._ttl_hours)
                return True
            pace = PolitenessOverride.from_json(batch.politeness) if batch.politeness else None
            await self._submitter.submit_url(str(request["productUrl"]), tenant=batch.tenant, options=options,
                                             metadata=metadata, job_id=item.jobId, batch_id=batch.batchId,
                                             politeness=pace, ttl_hours=self._ttl_hours)
        except JobIdTakenError:
            return False  # another worker created it between our read and our write: it sends it on
        return True
