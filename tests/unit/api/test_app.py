"""The app on in-memory fakes: routing, auth, tenants, errors and hand-off failures without AWS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from services.api.app import create_app
from services.api.settings import ApiSettings
from services.common.events import DetailType
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.settings import CommonSettings
from tests.fakes import InMemoryJobStore, InMemoryWorkQueue, RecordingPublisher
from tests.unit.api.fakes import fake_state

ACME = {"Authorization": "Bearer acme-key"}
GLOBEX = {"Authorization": "Bearer globex-key"}


@pytest.fixture
def app_parts() -> Iterator[tuple[TestClient, InMemoryJobStore, InMemoryWorkQueue, RecordingPublisher]]:
    state, store, sqs, publisher = fake_state()
    with TestClient(
        create_app(CommonSettings(), state.settings, state=state), raise_server_exceptions=False
    ) as c:
        yield c, store, sqs, publisher


def test_post_url_job_writes_queues_and_announces() -> None:
    """A URL job is stored for the caller's tenant, one scrape request is sent and JobAccepted
    published (after the 202: the submitter's close waits for it)."""
    state, store, sqs, publisher = fake_state()
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        resp = client.post("/v1/jobs", json={"productUrl": "https://shop.example.com/p/1"}, headers=ACME)
        assert resp.status_code == 202
        assert client.portal is not None
        client.portal.call(state.submitter.aclose)
    job = store.jobs[resp.json()["jobId"]]
    assert job.tenant == "acme" and json.loads(sqs.sent[0]) == {
        "schemaVersion": 1,
        "jobId": job.jobId,
        "attempt": 1,
    }
    assert [e[0] for e in publisher.events] == [DetailType.JOB_ACCEPTED]


def test_post_product_job_is_scraped_and_published_as_product_scraped_by_the_scraper_source(
    app_parts: Any,
) -> None:
    """A product job never touches the scrape queue; ProductScraped leaves with source productshot.scraper."""
    client, store, sqs, publisher = app_parts
    resp = client.post(
        "/v1/jobs", json={"product": {"name": "Lamp", "price": "9.99", "currency": "EUR"}}, headers=ACME
    )
    assert resp.status_code == 202 and resp.json()["status"] == "scraped"
    assert sqs.sent == []
    scraped = [e for e in publisher.events if e[0] == DetailType.PRODUCT_SCRAPED]
    assert scraped[0][2] == "productshot.scraper" and scraped[0][1]["product"]["name"] == "Lamp"


def test_queue_failure_is_503_and_fails_the_job(app_parts: Any) -> None:
    """When SQS refuses, the client gets a 503 problem and the stored job is failed, not left pending."""
    client, store, sqs, _ = app_parts
    sqs.down = True
    resp = client.post("/v1/jobs", json={"productUrl": "https://shop.example.com/p/1"}, headers=ACME)
    assert resp.status_code == 503 and resp.headers["content-type"] == "application/problem+json"
    assert [j.status for j in store.jobs.values()] == [JobStatus.FAILED]


def test_other_tenants_job_is_404_for_read_retry_and_delete(app_parts: Any) -> None:
    """globex cannot see, retry or delete acme's failed job: the same 404 as for an unknown id."""
    client, store, _, _ = app_parts
    job = Job.new(ttl_hours=1, status=JobStatus.FAILED, tenant="acme", productUrl="https://a.example/p")
    store.jobs[job.jobId] = job
    for method, path in (("GET", ""), ("POST", "/retry"), ("DELETE", "")):
        assert client.request(method, f"/v1/jobs/{job.jobId}{path}", headers=GLOBEX).status_code == 404
    assert client.get(f"/v1/jobs/{job.jobId}", headers=ACME).status_code == 200


def test_retry_requeues_with_the_new_attempt(app_parts: Any) -> None:
    """Retrying a failed URL job sends a scrape request carrying attempt 2."""
    client, store, sqs, _ = app_parts
    job = Job.new(ttl_hours=1, status=JobStatus.FAILED, tenant="acme", productUrl="https://a.example/p")
    store.jobs[job.jobId] = job
    assert client.post(f"/v1/jobs/{job.jobId}/retry", headers=ACME).status_code == 202
    assert json.loads(sqs.sent[-1])["attempt"] == 2


def test_unexpected_error_is_a_500_problem_with_the_request_id(app_parts: Any, monkeypatch: Any) -> None:
    """A bug becomes a problem+json 500 carrying the request id, never a stack trace."""
    client, store, _, _ = app_parts

    async def boom(job_id: str) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(store, "get", boom)
    resp = client.get(
        "/v1/jobs/0b7c5a36-0d4a-4a8e-9d7f-8a8b8c8d8e8f", headers={**ACME, "X-Request-Id": "trace-0001"}
    )
    assert resp.status_code == 500 and "secret" not in resp.text
    assert resp.json()["requestId"] == "trace-0001" == resp.headers["x-request-id"]


def test_auth_disabled_makes_everyone_the_anonymous_tenant() -> None:
    """API_AUTH_DISABLED: no key needed, and jobs belong to the reserved tenant '_anonymous'."""
    state, store, _, _ = fake_state(auth_disabled=True)
    from services.api.auth import ApiKeyRing

    state.keys = ApiKeyRing([], disabled=True)
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        resp = client.post("/v1/jobs", json={"productUrl": "https://shop.example.com/p/1"})
    assert resp.status_code == 202 and store.jobs[resp.json()["jobId"]].tenant == "_anonymous"


def test_seed_require_key_makes_the_seed_paths_401_without_a_key() -> None:
    """With API_SEED_REQUIRE_KEY the seed paths refuse anonymous callers, in the seed's message shape."""
    state, _, _, _ = fake_state(seed_require_key=True)
    with TestClient(create_app(CommonSettings(), ApiSettings(seed_require_key=True), state=state)) as client:
        resp = client.post("/generative-ai-images/generate", json={"productUrl": "https://a.example/p"})
    assert resp.status_code == 401 and set(resp.json()) == {"message"}
