"""The JobStore contract: conditional moves, leases, the outbox mark, listing and deletion."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from services.common.errors import JobIdTakenError, JobNotFoundError, JobTransitionConflictError
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.job_store import JobStore

__all__ = ["JobStoreContract"]


def new_job(tenant: str | None = None, status: JobStatus = JobStatus.PENDING) -> Job:
    return Job.new(ttl_hours=1, status=status, tenant=tenant or f"t-{uuid.uuid4().hex[:8]}",
                   productUrl="https://shop.example.com/p/1", metadata={"n": 1.5})


class JobStoreContract:
    @pytest.fixture
    def store(self) -> JobStore:
        raise NotImplementedError  # the subclass gives the fake or the adapter

    async def test_a_created_job_reads_back_the_same_and_a_missing_one_is_none(self, store: JobStore) -> None:
        """create then get returns an equal job (numbers and nested fields intact); an unknown id is None."""
        job = new_job()
        await store.create(job)
        assert await store.get(job.jobId) == job
        assert await store.get(str(uuid.uuid4())) is None

    async def test_creating_a_taken_id_raises_job_id_taken_and_keeps_the_first(self, store: JobStore) -> None:
        """A second create with the same id is JobIdTakenError (a batch row started twice); the stored job stays."""
        job = new_job()
        await store.create(job)
        with pytest.raises(JobIdTakenError):
            await store.create(Job.new(ttl_hours=1, jobId=job.jobId, tenant="intruder"))
        assert await store.get(job.jobId) == job

    async def test_a_claimed_job_is_leased_and_a_second_claim_sees_the_conflict_with_the_job(
        self, store: JobStore
    ) -> None:
        """claim moves pending -> scraping with the lease; another claim gets the job as it is on the error."""
        job = new_job()
        await store.create(job)
        claimed = await store.claim(job.jobId, attempt=1, to=JobStatus.SCRAPING, owner="w1", lease_seconds=60)
        assert claimed.status == JobStatus.SCRAPING and claimed.leaseOwner == "w1"
        assert (claimed.leaseExpiresAt or 0) > time.time() + 30 and "scraping" in claimed.timestamps
        with pytest.raises(JobTransitionConflictError) as conflict:
            await store.claim(job.jobId, attempt=1, to=JobStatus.SCRAPING, owner="w2", lease_seconds=60)
        assert conflict.value.job.status == JobStatus.SCRAPING and conflict.value.job.leaseOwner == "w1"
        assert conflict.value.actual == "scraping" and conflict.value.job_id == job.jobId

    async def test_an_expired_lease_is_taken_over_and_a_wrong_attempt_or_missing_job_refused(
        self, store: JobStore
    ) -> None:
        """A lease past its expiry can be claimed by another worker; another attempt cannot; no job is not found."""
        job = new_job()
        await store.create(job)
        await store.claim(job.jobId, attempt=1, to=JobStatus.SCRAPING, owner="w1", lease_seconds=-1)
        taken = await store.claim(job.jobId, attempt=1, to=JobStatus.SCRAPING, owner="w2", lease_seconds=60)
        assert taken.leaseOwner == "w2"
        with pytest.raises(JobTransitionConflictError):
            await store.claim(job.jobId, attempt=2, to=JobStatus.SCRAPING, owner="w3", lease_seconds=60)
        with pytest.raises(JobNotFoundError):
            await store.claim(str(uuid.uuid4()), attempt=1, to=JobStatus.SCRAPING, owner="w1", lease_seconds=60)

    async def test_only_the_lease_owner_extends_or_releases_it(self, store: JobStore) -> None:
        """extend_lease and release_lease answer True for the owner, False for anyone else."""
        job = new_job()
        await store.create(job)
        await store.claim(job.jobId, attempt=1, to=JobStatus.SCRAPING, owner="w1", lease_seconds=60)
        assert await store.extend_lease(job.jobId, owner="w1", lease_seconds=120)
        assert not await store.extend_lease(job.jobId, owner="w2", lease_seconds=120)
        assert not await store.release_lease(job.jobId, owner="w2")
        assert await store.release_lease(job.jobId, owner="w1")
        released = await store.get(job.jobId)
        assert released is not None and released.leaseExpiresAt == 0

    async def test_advance_stores_fields_and_the_outbox_mark_until_it_is_cleared(self, store: JobStore) -> None:
        """advance by the owner moves on and drops the lease; the pending event stays until cleared with its name."""
        job = new_job()
        await store.create(job)
        await store.claim(job.jobId, attempt=1, to=JobStatus.SCRAPING, owner="w1", lease_seconds=60)
        with pytest.raises(JobTransitionConflictError):
            await store.advance(job.jobId, attempt=1, to=JobStatus.SCRAPED, owner="w2")
        done = await store.advance(job.jobId, attempt=1, to=JobStatus.SCRAPED, owner="w1",
                                   fields={"product": {"name": "Lamp", "price": "9.50"}, "pendingEvent": "X"})
        assert done.status == JobStatus.SCRAPED and done.product == {"name": "Lamp", "price": "9.50"}
        assert done.leaseOwner is None and done.leaseExpiresAt is None
        assert await store.pending_event(job.jobId) == "X"
        await store.clear_pending_event(job.jobId, "Y")
        assert await store.pending_event(job.jobId) == "X"
        await store.clear_pending_event(job.jobId, "X")
        assert await store.pending_event(job.jobId) is None
        await store.set_fields(job.jobId, {"model": "offline"})
        stored = await store.get(job.jobId)
        assert stored is not None and stored.model == "offline" and stored.status == JobStatus.SCRAPED

    async def test_a_failed_job_is_failed_once_and_retried_under_a_new_attempt(self, store: JobStore) -> None:
        """fail sets the error once (None after); reset_for_retry is for the job's tenant and a failed job only."""
        job = new_job()
        await store.create(job)
        with pytest.raises(JobTransitionConflictError):
            await store.reset_for_retry(job.jobId, tenant=job.tenant)
        failed = await store.fail(job.jobId, stage="scrape", reason="no product", code="no_product")
        assert failed is not None and failed.status == JobStatus.FAILED
        assert failed.error == {"stage": "scrape", "reason": "no product", "code": "no_product"}
        assert await store.fail(job.jobId, stage="scrape", reason="again", code="no_product") is None
        with pytest.raises(JobTransitionConflictError) as other:
            await store.reset_for_retry(job.jobId, tenant="someone-else")
        assert other.value.job.tenant == job.tenant
        again = await store.reset_for_retry(job.jobId, tenant=job.tenant)
        assert (again.status, again.attempt, again.error, again.images) == (JobStatus.PENDING, 2, None, [])
        with pytest.raises(JobNotFoundError):
            await store.reset_for_retry(str(uuid.uuid4()), tenant=job.tenant)

    async def test_a_redrive_counts_only_on_the_state_it_was_read_in(self, store: JobStore) -> None:
        """note_redrive counts 1, 2 ... while status and updatedAt match what was read; else None."""
        job = new_job()
        await store.create(job)
        await asyncio.sleep(0.005)  # updatedAt has millisecond precision: let the re-drive's differ
        assert await store.note_redrive(job.jobId, status=JobStatus.PENDING, updated_at=job.updatedAt) == 1
        assert await store.note_redrive(job.jobId, status=JobStatus.PENDING, updated_at=job.updatedAt) is None
        current = await store.get(job.jobId)
        assert current is not None
        assert await store.note_redrive(job.jobId, status=JobStatus.PENDING, updated_at=current.updatedAt) == 2

    async def test_a_tenants_jobs_are_listed_newest_first_in_pages(self, store: JobStore) -> None:
        """list_for_tenant pages through one tenant's jobs only, newest first, with a cursor."""
        tenant = f"t-{uuid.uuid4().hex[:8]}"
        jobs = []
        for i in range(3):
            job = new_job(tenant)
            job.createdAt = f"2026-01-0{i + 1}T00:00:00.000Z"
            await store.create(job)
            jobs.append(job)
        await store.create(new_job())
        first = await store.list_for_tenant(tenant, status=None, limit=2, cursor=None)
        assert [j.jobId for j in first.jobs] == [jobs[2].jobId, jobs[1].jobId] and first.cursor
        rest = await store.list_for_tenant(tenant, status=None, limit=2, cursor=first.cursor)
        assert [j.jobId for j in rest.jobs] == [jobs[0].jobId]

    async def test_a_tenants_unfinished_recent_jobs_are_counted(self, store: JobStore) -> None:
        """count_unfinished_for_tenant counts the tenant's non-terminal jobs created after the cutoff only."""
        tenant = f"t-{uuid.uuid4().hex[:8]}"
        running, done, old = new_job(tenant), new_job(tenant), new_job(tenant)
        old.createdAt = "2020-01-01T00:00:00.000Z"
        for job in (running, done, old, new_job()):
            await store.create(job)
        await store.fail(done.jobId, stage="scrape", reason="x", code="internal_error")
        assert await store.count_unfinished_for_tenant(tenant, created_after="2025-01-01T00:00:00.000Z",
                                                       at_most=10) == 1

    async def test_unfinished_jobs_older_than_the_cutoff_are_found(self, store: JobStore) -> None:
        """find_unfinished returns non-terminal jobs not updated since the cutoff, never finished ones."""
        old, finished = new_job(), new_job()
        for job in (old, finished):
            job.createdAt = job.updatedAt = "2020-01-01T00:00:00.000Z"
            await store.create(job)
        await store.fail(finished.jobId, stage="scrape", reason="x", code="internal_error")
        found = {j.jobId for j in await store.find_unfinished(older_than_epoch=time.time() - 60)}
        assert old.jobId in found and finished.jobId not in found

    async def test_only_a_finished_job_of_the_tenant_is_deleted(self, store: JobStore) -> None:
        """delete_finished refuses a running job and another tenant; deletes a failed one."""
        job = new_job()
        await store.create(job)
        assert not await store.delete_finished(job.jobId, tenant=job.tenant)
        await store.fail(job.jobId, stage="scrape", reason="x", code="internal_error")
        assert not await store.delete_finished(job.jobId, tenant="someone-else")
        assert await store.delete_finished(job.jobId, tenant=job.tenant)
        assert await store.get(job.jobId) is None
        await store.check()
