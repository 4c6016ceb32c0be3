"""GET, list, retry and DELETE on /v1/jobs against the real app: 200, 202, 204, 400, 404, 409, 422."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from services.common.job_states import JobStatus
from tests.integration.api.conftest import BUCKET, scrape_messages, stored_job
from tests.integration.api.test_create_job import assert_problem

pytestmark = pytest.mark.integration


async def test_completed_job_has_images_with_fresh_presigned_urls(
    client: httpx.AsyncClient, boto: Any
) -> None:
    """Each image has format, size, type and a presigned URL (with expiry) that downloads its bytes."""
    job = stored_job(status=JobStatus.COMPLETED, images=2, boto=boto)
    resp = await client.get(f"/v1/jobs/{job.jobId}")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "completed" and body["stage"] == "done" and len(body["images"]) == 2
    for image, record in zip(body["images"], job.images, strict=True):
        assert (image["width"], image["height"], image["contentType"]) == (1080, 1080, "image/jpeg")
        assert image["urlExpiresAt"].endswith("Z")
        download = await asyncio.to_thread(httpx.get, image["url"], timeout=10)
        assert download.status_code == 200
        assert download.content == boto.s3.get_object(Bucket=BUCKET, Key=record.key)["Body"].read()


async def test_another_tenants_job_is_404_exactly_like_a_missing_one(
    client: httpx.AsyncClient, boto: Any
) -> None:
    """Reading, retrying or deleting another tenant's job answers exactly as for an unknown id."""
    theirs = stored_job(tenant="other", status=JobStatus.FAILED, images=1, boto=boto)
    missing = str(uuid.uuid4())
    for method, suffix in (("GET", ""), ("POST", "/retry"), ("DELETE", "")):
        a = await client.request(method, f"/v1/jobs/{theirs.jobId}{suffix}")
        b = await client.request(method, f"/v1/jobs/{missing}{suffix}")
        assert_problem(a, 404)
        assert_problem(b, 404)
        strip = {"instance"}
        assert {k: v for k, v in a.json().items() if k not in strip} == {
            k: v for k, v in b.json().items() if k not in strip
        }
    assert boto.s3.list_objects_v2(Bucket=BUCKET, Prefix=f"jobs/{theirs.jobId}/")["KeyCount"] == 1
    assert_problem(await client.get("/v1/jobs/not-a-uuid"), 404)


async def test_listing_is_paginated_filtered_and_per_tenant(client: httpx.AsyncClient, boto: Any) -> None:
    """Pages of `limit` newest first, a cursor to the next page, status filter, and no other tenant's jobs."""
    stored_job(tenant="other", status=JobStatus.FAILED, boto=boto)
    created = [
        (await client.post("/v1/jobs", json={"productUrl": f"https://shop.example.com/p/{i}"})).json()[
            "jobId"
        ]
        for i in range(3)
    ]
    first = (await client.get("/v1/jobs", params={"limit": 2})).json()
    assert [j["jobId"] for j in first["items"]] == created[::-1][:2] and first["nextCursor"]
    second = (await client.get("/v1/jobs", params={"limit": 2, "cursor": first["nextCursor"]})).json()
    assert second["items"][0]["jobId"] == created[0]
    pending = (await client.get("/v1/jobs", params={"status": "pending", "limit": 100})).json()["items"]
    assert pending and {j["status"] for j in pending} == {"pending"}
    everything = (await client.get("/v1/jobs", params={"limit": 100})).json()["items"]
    assert all(j["jobId"] != "other" for j in everything)
    assert_problem(await client.get("/v1/jobs", params={"status": "lost"}), 422, "status")
    assert_problem(await client.get("/v1/jobs", params={"limit": 0}), 422, "limit")
    assert_problem(await client.get("/v1/jobs", params={"cursor": "bm90LWEtY3Vyc29y"}), 400, "cursor")


async def test_retry_of_a_failed_url_job_requeues_a_new_attempt(client: httpx.AsyncClient, boto: Any) -> None:
    """A failed job goes back to pending with attempt 2 and a scrape request for attempt 2 is queued."""
    job = stored_job(status=JobStatus.FAILED, boto=boto)
    resp = await client.post(f"/v1/jobs/{job.jobId}/retry")
    assert resp.status_code == 202, resp.text
    assert resp.json()["status"] == "pending" and resp.json()["attempt"] == 2 and resp.json()["error"] is None
    assert {"schemaVersion": 1, "jobId": job.jobId, "attempt": 2} in scrape_messages(boto, job.jobId)
    assert_problem(await client.post(f"/v1/jobs/{job.jobId}/retry"), 409)


async def test_retry_of_a_failed_product_job_goes_straight_to_rendering(
    client: httpx.AsyncClient, boto: Any
) -> None:
    """A job that was given its product is retried as 'scraped' (handed to the renderer), not scraped."""
    job = stored_job(status=JobStatus.FAILED, product=True, boto=boto)
    resp = await client.post(f"/v1/jobs/{job.jobId}/retry")
    assert resp.status_code == 202, resp.text
    assert resp.json()["status"] == "scraped" and resp.json()["attempt"] == 2
    assert scrape_messages(boto, job.jobId) == []


async def test_retry_of_a_running_job_is_409(client: httpx.AsyncClient, boto: Any) -> None:
    """Only failed jobs can be retried: a pending or completed job answers 409."""
    for status in (JobStatus.PENDING, JobStatus.COMPLETED):
        job = stored_job(status=status, boto=boto)
        body = assert_problem(await client.post(f"/v1/jobs/{job.jobId}/retry"), 409)
        assert body["jobStatus"] == status.value


async def test_delete_removes_images_and_the_job(client: httpx.AsyncClient, boto: Any) -> None:
    """DELETE of a finished job removes every object under its prefix, then the job: 204, then 404."""
    job = stored_job(status=JobStatus.COMPLETED, images=3, boto=boto)
    boto.s3.put_object(Bucket=BUCKET, Key=f"jobs/{job.jobId}/source.jpg", Body=b"photo")
    resp = await client.delete(f"/v1/jobs/{job.jobId}")
    assert resp.status_code == 204 and resp.content == b""
    assert boto.s3.list_objects_v2(Bucket=BUCKET, Prefix=f"jobs/{job.jobId}/")["KeyCount"] == 0
    assert_problem(await client.get(f"/v1/jobs/{job.jobId}"), 404)
    assert_problem(await client.delete(f"/v1/jobs/{job.jobId}"), 404)


async def test_delete_of_a_running_job_is_409_and_keeps_it(client: httpx.AsyncClient, boto: Any) -> None:
    """A job still in the pipeline cannot be deleted (its images may still be written)."""
    job = stored_job(status=JobStatus.RENDERING, boto=boto)
    assert_problem(await client.delete(f"/v1/jobs/{job.jobId}"), 409)
    assert (await client.get(f"/v1/jobs/{job.jobId}")).status_code == 200
