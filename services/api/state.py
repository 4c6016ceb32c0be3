"""What the API's request handlers share, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from services.api.auth import ApiKeyRing
from services.api.batch_desk import BatchDesk
from services.api.idempotency import IdempotencyGuard
from services.api.job_removal import JobRemover
from services.api.limiter import Limiter
from services.api.presign import Presigner
from services.api.rate_limit import TokenBuckets
from services.api.review_answers import ReviewDesk
from services.api.settings import ApiSettings
from services.common.batch_store import BatchStore
from services.common.job_files import JobFiles
from services.common.job_store import JobStore
from services.common.job_submitter import JobSubmitter
from services.common.settings import CommonSettings
from services.common.source_image import SourceImageStore
from services.common.work_queue import WorkQueue

__all__ = ["ApiState"]


@dataclass(slots=True)
class ApiState:
    common: CommonSettings
    settings: ApiSettings
    store: JobStore
    submitter: JobSubmitter
    presigner: Presigner
    queue: WorkQueue
    files: JobFiles
    keys: ApiKeyRing
    buckets: TokenBuckets
    #: None when API_SHARED_LIMITS is off.
    limiter: Limiter | None
    idempotency: IdempotencyGuard
    source_images: SourceImageStore
    remover: JobRemover
    reviews: ReviewDesk
    batches: BatchStore
    batch_desk: BatchDesk
