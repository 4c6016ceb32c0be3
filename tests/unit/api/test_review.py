"""onUncertain on job creation, the review view on GET and POST /v1/jobs/{id}/review, on in-memory fakes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from services.api.app import create_app
from services.common.events import DetailType
from services.common.fact_evidence import Candidate, FactEvidence, evidence_to_dict
from services.common.job import Job, JobOptions
from services.common.job_states import JobStatus
from services.common.product import Product
from services.common.settings import CommonSettings
from tests.fakes import InMemoryJobStore, RecordingPublisher
from tests.unit.api.fakes import fake_state

ACME = {"Authorization": "Bearer acme-key"}
GLOBEX = {"Authorization": "Bearer globex-key"}
CONTEXT = "Copper Kettle 1.5 L €49.99 €59.99 Add to cart"


@pytest.fixture
def parts() -> Iterator[tuple[TestClient, InMemoryJobStore, RecordingPublisher]]:
    state, store, _, publisher = fake_state()
    with TestClient(create_app(CommonSettings(), state.settings, state=state), raise_server_exceptions=False) as c:
        yield c, store, publisher


def _job_in_review(store: InMemoryJobStore, tenant: str = "acme") -> Job:
    job = Job.new(ttl_hours=1, status=JobStatus.REVIEW, tenant=tenant, productUrl="https://shop.example.com/p/k",
                  options=JobOptions(onUncertain="review"))
    job.product = Product(name="Copper Kettle 1.5 L", price="59.99", currency="EUR", regularPrice="79.99",
                          offer="-25%").to_dict()
    candidates = [Candidate(value=v, source="dom", path="product container", context=CONTEXT, confidence=0.5)
                  for v in ("49.99", "59.99")]
    job.evidence = evidence_to_dict({
        "name": FactEvidence(confidence=0.97, source="jsonld"),
        "price": FactEvidence(confidence=0.5, source="dom", candidates=candidates),
        "currency": FactEvidence(confidence=0.9, source="dom"),
        "regularPrice": FactEvidence(confidence=0.9, source="dom"),
        "offer": FactEvidence(confidence=0.9, source="dom"),
    })
    job.reviewFacts = ["price"]
    store.jobs[job.jobId] = job
    return job


def test_on_uncertain_is_validated_stored_and_defaults_to_hide(parts: Any) -> None:
    """POST /v1/jobs takes review/hide/fail, refuses anything else naming the field, and stores hide by default."""
    client, store, _ = parts
    url = "https://shop.example.com/p/1"
    bad = client.post("/v1/jobs", json={"productUrl": url, "onUncertain": "print"}, headers=ACME)
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["onUncertain"]
    default = client.post("/v1/jobs", json={"productUrl": url}, headers=ACME).json()
    review = client.post("/v1/jobs", json={"productUrl": url, "onUncertain": "review"}, headers=ACME).json()
    assert default["options"]["onUncertain"] == "hide" and review["options"]["onUncertain"] == "review"
    assert store.jobs[review["jobId"]].options.onUncertain == "review"


def test_seed_path_jobs_always_hide_uncertain_facts(parts: Any) -> None:
    """The seed's clients know no review step: their jobs are stored with onUncertain hide."""
    client, store, _ = parts
    resp = client.post(
        "/generative-ai-images/generate", json={"productUrl": "https://shop.example.com/p/1"}, headers=ACME
    )
    assert resp.status_code == 202 and store.jobs[resp.json()["jobId"]].options.onUncertain == "hide"


def test_a_job_in_review_shows_the_facts_in_question_with_candidates(parts: Any) -> None:
    """GET shows status review, the price's candidates with their context and confidence, the answer
    link, and the confidence of every field; the seed path shows it as processing."""
    client, store, _ = parts
    job = _job_in_review(store)
    body = client.get(f"/v1/jobs/{job.jobId}", headers=ACME).json()
    assert (body["status"], body["stage"]) == ("review", "review")
    price = body["review"]["facts"]["price"]
    assert price["value"] == "59.99" and price["confidence"] == 0.5 and price["source"] == "dom"
    assert [(c["value"], c["context"]) for c in price["candidates"]] == [("49.99", CONTEXT), ("59.99", CONTEXT)]
    assert body["review"]["answerUrl"] == body["links"]["review"] == f"/v1/jobs/{job.jobId}/review"
    assert body["confidence"]["price"] == 0.5 and body["confidence"]["name"] == 0.97
    seed = client.get(f"/generative-ai-images/status/{job.jobId}", headers=ACME).json()
    assert seed["status"] == "processing"


def test_a_corrected_price_resumes_rendering_with_it_and_is_certain(parts: Any) -> None:
    """The answer is merged onto the scraped product, the job moves to scraped, the corrected price
    has confidence 1 from review, the old price's offer and regular price are dropped (they were read
    beside the rejected price), and ProductScraped leaves once, from productshot.scraper."""
    client, store, publisher = parts
    job = _job_in_review(store)
    resp = client.post(f"/v1/jobs/{job.jobId}/review", json={"product": {"price": "49.99", "currency": "EUR"}},
                       headers=ACME)
    assert resp.status_code == 202, resp.text
    body = resp.json()
    assert body["status"] == "scraped" and body["review"] is None
    product = body["product"]
    assert (product["price"], product["regularPrice"], product["offer"]) == ("49.99", None, None)
    assert body["confidence"]["price"] == 1.0 and body["hiddenFacts"] == ["regularPrice", "offer"]
    [(kind, detail, source)] = [e for e in publisher.events if e[0] == DetailType.PRODUCT_SCRAPED]
    assert source == "productshot.scraper" and detail["product"]["price"] == "49.99"
    assert all("pendingEvent" not in extra for extra in store.extras.values())  # the outbox is clear


def test_the_same_answer_again_returns_the_same_result_and_publishes_nothing_new(parts: Any) -> None:
    """Idempotent: a repeated identical answer is 202 with the job as it is, no second event;
    a different answer afterwards is a 409 that says the review was answered."""
    client, store, publisher = parts
    job = _job_in_review(store)
    path, answer = f"/v1/jobs/{job.jobId}/review", {"accept": ["price"]}
    first = client.post(path, json=answer, headers=ACME)
    again = client.post(path, json=answer, headers=ACME)
    assert first.status_code == again.status_code == 202 and again.json() == first.json()
    assert again.json()["product"]["price"] == "59.99" and again.json()["product"]["offer"] == "-25%"
    assert len([e for e in publisher.events if e[0] == DetailType.PRODUCT_SCRAPED]) == 1
    other = client.post(path, json={"hide": ["price"]}, headers=ACME)
    assert other.status_code == 409 and "already answered" in other.json()["detail"]
    assert other.json()["jobStatus"] == "scraped"


def test_an_idempotency_key_replays_the_first_answer(parts: Any) -> None:
    """With Idempotency-Key the second identical request is the stored answer, marked as replayed."""
    client, store, _ = parts
    job = _job_in_review(store)
    headers = ACME | {"Idempotency-Key": "review-1"}
    first = client.post(f"/v1/jobs/{job.jobId}/review", json={"hide": ["price"]}, headers=headers)
    second = client.post(f"/v1/jobs/{job.jobId}/review", json={"hide": ["price"]}, headers=headers)
    assert second.status_code == 202 and second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json() and first.json()["product"]["price"] is None


def test_only_a_job_in_review_takes_an_answer(parts: Any) -> None:
    """A pending job's review is a 409 problem naming its status."""
    client, store, _ = parts
    job = Job.new(ttl_hours=1, tenant="acme", productUrl="https://shop.example.com/p/k")
    store.jobs[job.jobId] = job
    resp = client.post(f"/v1/jobs/{job.jobId}/review", json={"accept": ["price"]}, headers=ACME)
    assert resp.status_code == 409 and resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["detail"] == "only a job in review takes an answer; this one is pending"
    assert resp.json()["jobStatus"] == "pending" and store.jobs[job.jobId].status == JobStatus.PENDING


def test_another_tenants_job_in_review_is_404(parts: Any) -> None:
    """globex cannot see or answer acme's review: the same 404 as an unknown id, and nothing moves."""
    client, store, _ = parts
    job = _job_in_review(store)
    assert client.post(f"/v1/jobs/{job.jobId}/review", json={"accept": ["price"]}, headers=GLOBEX).status_code == 404
    assert store.jobs[job.jobId].status == JobStatus.REVIEW


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"product": {"price": "49,99"}}, "product.price"),
        ({"product": {"currency": "euro", "price": "49.99"}}, "product.currency"),
        ({"product": {"price": "49.99", "imageUrl": "https://x.example/i.jpg"}}, "product.imageUrl"),
        ({"accept": ["sku"]}, "accept.0"),
        ({"accept": ["price"], "hide": ["price"]}, "body"),
        ({}, "body"),
        ({"accept": ["name"]}, "price"),
    ],
)
def test_invalid_or_incomplete_answers_are_422_naming_the_field(parts: Any, answer: dict[str, Any], field: str) -> None:
    """Values follow the caller-given product rules; each fact is answered once; every fact in
    review must be answered (accept, correct or hide)."""
    client, store, _ = parts
    job = _job_in_review(store)
    resp = client.post(f"/v1/jobs/{job.jobId}/review", json=answer, headers=ACME)
    assert resp.status_code == 422 and field in [e["field"] for e in resp.json()["errors"]], resp.text
    assert store.jobs[job.jobId].status == JobStatus.REVIEW
