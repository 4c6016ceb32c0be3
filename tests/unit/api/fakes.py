"""In-memory stand-ins for the API's ports (job store, SQS, EventBridge, S3, idempotency records)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from services.api.auth import ApiKeyRing, hash_key
from services.api.idempotency import Existing, IdempotencyGuard, StoredResponse
from services.api.job_removal import JobRemover
from services.api.jobs import JobSubmitter
from services.api.presign import Presigner
from services.api.rate_limit import TokenBuckets
from services.api.settings import ApiSettings
from services.api.source_image import SourceImageStore
from services.api.state import ApiState
from services.common.errors import JobNotFoundError, JobTransitionConflictError
from services.common.events import DetailType
from services.common.job import Job
from services.common.job_states import TERMINAL, JobStatus
from services.common.job_store import JobPage
from services.common.settings import CommonSettings


class FakeStore:
    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}

    async def create(self, job: Job) -> None:
        self.jobs[job.jobId] = copy.deepcopy(job)

    async def get(self, job_id: str) -> Job | None:
        return copy.deepcopy(self.jobs.get(job_id))

    async def fail(self, job_id: str, *, stage: str, reason: str, attempt: int | None = None) -> Job | None:
        job = self.jobs.get(job_id)
        if job is None or job.status in TERMINAL:
            return None
        job.status, job.error = JobStatus.FAILED, {"stage": stage, "reason": reason}
        return copy.deepcopy(job)

    async def reset_for_retry(self, job_id: str, *, tenant: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            raise JobNotFoundError(job_id)
        if job.status != JobStatus.FAILED or job.tenant != tenant:
            conflict = JobTransitionConflictError(job_id, "pending", job.status.value)
            conflict.job = copy.deepcopy(job)  # type: ignore[attr-defined]
            raise conflict
        job.status, job.error, job.attempt, job.images, job.qa = JobStatus.PENDING, None, job.attempt + 1, [], None
        return copy.deepcopy(job)

    async def advance(
        self,
        job_id: str,
        *,
        attempt: int,
        to: JobStatus,
        owner: str | None,
        fields: dict[str, Any] | None = None,
    ) -> Job:
        self.jobs[job_id].status = to
        return copy.deepcopy(self.jobs[job_id])

    async def list_for_tenant(
        self, tenant: str, *, status: str | None, limit: int, cursor: str | None
    ) -> JobPage:
        jobs = [
            j for j in self.jobs.values() if j.tenant == tenant and (status is None or j.status == status)
        ]
        return JobPage(sorted(jobs, key=lambda j: j.createdAt, reverse=True)[:limit], None)

    async def delete_finished(self, job_id: str, *, tenant: str) -> bool:
        job = self.jobs.get(job_id)
        if job is None or job.tenant != tenant or job.status not in TERMINAL:
            return False
        del self.jobs[job_id]
        return True


@dataclass
class FakeSqs:
    fail: bool = False
    sent: list[str] = field(default_factory=list)

    async def get_queue_url(self, QueueName: str) -> dict[str, str]:  # noqa: N803 - boto's names
        return {"QueueUrl": f"https://sqs.local/{QueueName}"}

    async def send_message(self, QueueUrl: str, MessageBody: str) -> dict[str, str]:  # noqa: N803
        if self.fail:
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "down"}}, "SendMessage")
        self.sent.append(MessageBody)
        return {"MessageId": "1"}


@dataclass
class FakePublisher:
    events: list[tuple[DetailType, dict[str, Any], str]] = field(default_factory=list)

    async def publish(self, detail_type: DetailType, detail: dict[str, Any], *, source: str) -> None:
        self.events.append((detail_type, detail, source))


class FakeS3:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    async def generate_presigned_url(self, op: str, Params: dict[str, str], ExpiresIn: int) -> str:  # noqa: N803
        return f"https://s3.local/{Params['Bucket']}/{Params['Key']}?X-Amz-Expires={ExpiresIn}"

    async def put_object(self, **kwargs: Any) -> None:
        self.objects[kwargs["Key"]] = kwargs["Body"]


class FakeIdempotencyStore:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], Existing] = {}

    async def begin(self, tenant: str, key: str, digest: str) -> Existing | None:
        if (tenant, key) in self.records:
            return self.records[(tenant, key)]
        self.records[(tenant, key)] = Existing(digest, None)
        return None

    async def peek(self, tenant: str, key: str) -> Existing | None:
        return self.records.get((tenant, key))

    async def complete(self, tenant: str, key: str, response: StoredResponse) -> None:
        self.records[(tenant, key)] = Existing(self.records[(tenant, key)].body_hash, response)

    async def abandon(self, tenant: str, key: str) -> None:
        self.records.pop((tenant, key), None)


def fake_state(**settings: Any) -> tuple[ApiState, FakeStore, FakeSqs, FakePublisher]:
    """An ApiState on fakes; tenants 'acme' (key 'acme-key') and 'globex' (key 'globex-key')."""
    api_settings = ApiSettings(**settings)
    store, sqs, publisher, s3 = FakeStore(), FakeSqs(), FakePublisher(), FakeS3()
    keys = ApiKeyRing([("acme", hash_key("acme-key")), ("globex", hash_key("globex-key"))])
    state = ApiState(
        common=CommonSettings(),
        settings=api_settings,
        store=store,
        aws=None,
        keys=keys,  # type: ignore[arg-type]
        submitter=JobSubmitter(
            store=store,
            publisher=publisher,
            sqs=sqs,
            scrape_queue="scrape-requests",  # type: ignore[arg-type]
            ttl_hours=1,
        ),
        presigner=Presigner(s3, 900),
        buckets=TokenBuckets(api_settings.rate_limit_per_second, api_settings.rate_limit_burst),
        idempotency=IdempotencyGuard(FakeIdempotencyStore(), wait_seconds=0.5, poll_seconds=0.01),
        source_images=SourceImageStore(None, s3, "bucket"),  # type: ignore[arg-type]
        remover=JobRemover(store, s3, "bucket"),  # type: ignore[arg-type]
    )
    return state, store, sqs, publisher
