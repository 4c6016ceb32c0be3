"""Uncertain prices end to end on the local AWS: review, fail and hide, with all three services.

The page is served on 127.0.0.1 and built so the extractor is genuinely unsure of the price:
no price markup (a JSON-LD block names the product, nothing more) and two different prices
beside the buy button.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import pytest

from services.common.events import validate_detail
from tests.integration.api.conftest import AUTH
from tests.integration.conftest import Services
from tests.integration.pages import PageServer
from tests.integration.test_event_subscription import _drain, _subscribe

pytestmark = pytest.mark.integration


def _ambiguous_page(base: str, slug: str) -> str:
    return f"""<!doctype html><html lang="en"><head><title>Copper Kettle</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Product",
"name": "Copper Kettle 1.5 L"}}</script></head><body><main>
<div class="product"><h1>Copper Kettle 1.5 L</h1>
<img src="{base}/img/{slug}.jpg" alt="Copper Kettle">
<div class="price-box"><span class="price">€49.99</span></div>
<div class="price-box-alt"><span class="price">€59.99</span></div>
<button class="add-to-cart">Add to cart</button></div></main></body></html>"""


async def _submit(http: httpx.AsyncClient, pages: PageServer, policy: str) -> str:
    slug = f"kettle-{uuid.uuid4().hex[:8]}"
    pages.pages[slug] = _ambiguous_page(pages.base, slug)
    resp = await http.post("/v1/jobs", json={"productUrl": f"{pages.base}/p/{slug}", "onUncertain": policy})
    assert resp.status_code == 202, resp.text
    job_id: str = resp.json()["jobId"]
    return job_id


async def _until(http: httpx.AsyncClient, job_id: str, statuses: tuple[str, ...], wait: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + wait
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        job = (await http.get(f"/v1/jobs/{job_id}")).json()
        if job["status"] in statuses:
            return job
        await asyncio.sleep(0.3)
    raise AssertionError(f"job {job_id} did not reach {statuses}: {job}")


async def test_an_uncertain_price_waits_for_review_and_renders_with_the_corrected_price(
    pipeline: Services, pages: PageServer, boto: Any
) -> None:
    """onUncertain=review: the job stops in review with both candidates shown, ProductNeedsReview is
    on the bus (read through a rule -> SQS queue), and the answer resumes rendering with its price."""
    queue, _ = _subscribe(boto, f"reviews-{uuid.uuid4().hex[:8]}",
                          {"source": ["productshot.scraper"], "detail-type": ["ProductNeedsReview"]})
    async with httpx.AsyncClient(base_url=pipeline.api, headers=AUTH, timeout=20) as http:
        job_id = await _submit(http, pages, "review")
        held = await _until(http, job_id, ("review", "completed", "failed"))
        assert held["status"] == "review", held
        assert held["product"]["price"] == "59.99" and held["images"] == []
        candidates = held["review"]["facts"]["price"]["candidates"]
        assert {c["value"] for c in candidates} == {"49.99", "59.99"}
        assert held["confidence"]["price"] < 0.8

        events = [e for e in _drain(boto, queue, want=1) if e["detail"]["jobId"] == job_id]
        assert len(events) == 1
        detail = events[0]["detail"]
        validate_detail("ProductNeedsReview", detail)
        assert detail["reviewFacts"] == ["price"] and detail["reviewPath"] == f"/v1/jobs/{job_id}/review"

        answer = {"product": {"price": "49.99", "currency": "EUR"}}
        resumed = await http.post(f"/v1/jobs/{job_id}/review", json=answer)
        assert resumed.status_code == 202, resumed.text
        again = await http.post(f"/v1/jobs/{job_id}/review", json=answer)
        assert again.status_code == 202 and again.json()["product"] == resumed.json()["product"]
        done = await _until(http, job_id, ("completed", "failed"))
        assert done["status"] == "completed", done
        assert done["product"]["price"] == "49.99" and done["confidence"]["price"] == 1.0
        assert len(done["images"]) == 1

        late = await http.post(f"/v1/jobs/{job_id}/review", json={"hide": ["price"]})
        assert late.status_code == 409 and late.json()["jobStatus"] == "completed"
    stored = boto.dynamodb.get_item(TableName="productshot-jobs", Key={"jobId": {"S": job_id}})["Item"]
    assert "49.99" in json.dumps(stored["overlayText"])


async def test_fail_policy_fails_the_job_with_a_reason_a_person_can_act_on(
    pipeline: Services, pages: PageServer
) -> None:
    """onUncertain=fail: the job fails at the scrape stage naming the prices and the way out."""
    async with httpx.AsyncClient(base_url=pipeline.api, headers=AUTH, timeout=20) as http:
        job_id = await _submit(http, pages, "fail")
        failed = await _until(http, job_id, ("completed", "failed"))
    assert failed["status"] == "failed" and failed["error"] == {
        "stage": "scrape",
        "reason": "the page's price is ambiguous (two prices near the buy button: 49.99, 59.99); "
        "submit the product facts yourself or use onUncertain=review",
        "code": "uncertain_facts",
        "traceId": failed["error"]["traceId"],
    }


async def test_hide_policy_completes_without_the_price(pipeline: Services, pages: PageServer, boto: Any) -> None:
    """onUncertain=hide (the default): the image is made without any price, and the job says so."""
    async with httpx.AsyncClient(base_url=pipeline.api, headers=AUTH, timeout=20) as http:
        job_id = await _submit(http, pages, "hide")
        done = await _until(http, job_id, ("completed", "failed"))
    assert done["status"] == "completed", done
    assert done["product"]["price"] is None and done["hiddenFacts"] == ["price"]
    stored = boto.dynamodb.get_item(TableName="productshot-jobs", Key={"jobId": {"S": job_id}})["Item"]
    overlay = json.dumps(stored.get("overlayText", {}))
    assert "49.99" not in overlay and "59.99" not in overlay
