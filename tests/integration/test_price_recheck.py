"""The price against the page end to end on the local AWS, with all three services.

The renderer runs with RENDERER_PRICE_RECHECK_AFTER_SECONDS=0, so every scraped job's page
is read a second time before the image model is called; the shop on 127.0.0.1 answers that
second read with a changed page (or the same page, or 410 Gone).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from services.common.events import validate_detail
from tests.integration.api.conftest import AUTH
from tests.integration.conftest import Services, purge_queues, service_env, start_services
from tests.integration.conftest import log_dir_for as log_dir
from tests.integration.pages import PageServer, product_page
from tests.integration.test_event_subscription import _drain, _subscribe

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def rechecking(aws_env: dict[str, str], boto: Any, tmp_path_factory: pytest.TempPathFactory,
               request: pytest.FixtureRequest) -> Iterator[Services]:
    """The three services, the renderer re-reading every page before it paints."""
    purge_queues(boto.sqs)
    tmp = tmp_path_factory.mktemp("recheck")
    services = start_services(service_env(aws_env, tmp, RENDERER_PRICE_RECHECK_AFTER_SECONDS="0"),
                              log_dir(request))
    yield services
    for name in list(services.procs):
        services.stop(name)


async def _submit(http: httpx.AsyncClient, pages: PageServer, price: str, later: str | int) -> tuple[str, str]:
    slug = f"mug-{uuid.uuid4().hex[:8]}"
    url = pages.add_product(slug, "Stoneware Mug", price, currency="USD")
    pages.later[slug] = later if isinstance(later, int) else product_page(
        "Stoneware Mug", later, "USD", f"{pages.base}/img/{slug}.jpg")
    resp = await http.post("/v1/jobs", json={"productUrl": url})
    assert resp.status_code == 202, resp.text
    return resp.json()["jobId"], slug


async def _finished(http: httpx.AsyncClient, job_id: str, wait: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + wait
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        job = (await http.get(f"/v1/jobs/{job_id}")).json()
        if job["status"] in ("completed", "failed"):
            return job
        await asyncio.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def _overlay(boto: Any, job_id: str) -> str:
    item = boto.dynamodb.get_item(TableName="productshot-jobs", Key={"jobId": {"S": job_id}})["Item"]
    return json.dumps(item.get("overlayText", {}))


async def test_a_price_changed_after_the_scrape_is_printed_as_the_page_shows_it_now(
    rechecking: Services, pages: PageServer, boto: Any
) -> None:
    """Scraped at 19.99, the page asks 24.99 when the renderer takes the job: the job goes back
    through extraction and completes with 24.99 on the job, the image's text and the event, never 19.99."""
    queue, _ = _subscribe(boto, f"recheck-{uuid.uuid4().hex[:8]}",
                          {"source": ["productshot.renderer"], "detail-type": ["ProductImageGenerated"]})
    async with httpx.AsyncClient(base_url=rechecking.api, headers=AUTH, timeout=20) as http:
        job_id, slug = await _submit(http, pages, "19.99", "24.99")
        done = await _finished(http, job_id)
    assert done["status"] == "completed", done
    assert done["product"]["price"] == "24.99"
    recheck = done["qa"]["priceRecheck"]
    assert recheck["status"] == "checked" and recheck["outcome"] == "changed" and recheck["action"] == "reextracted"
    assert recheck["printed"]["price"] == "19.99" and recheck["page"]["price"] == "24.99"
    assert pages.hits[slug] == 2  # the scrape and the recheck
    overlay = _overlay(boto, job_id)
    assert "24.99" in overlay and "19.99" not in overlay
    events = [e for e in _drain(boto, queue, want=1) if e["detail"]["jobId"] == job_id]
    assert len(events) == 1
    validate_detail("ProductImageGenerated", events[0]["detail"])
    assert events[0]["detail"]["qa"]["priceRecheck"]["page"]["price"] == "24.99"
    assert "19.99" not in (events[0]["detail"]["overlayText"] or "")


async def test_an_unchanged_price_completes_with_the_recheck_in_the_qa_report(
    rechecking: Services, pages: PageServer, boto: Any
) -> None:
    """The page still asks 19.99: the job completes normally, its qa says checked and unchanged."""
    async with httpx.AsyncClient(base_url=rechecking.api, headers=AUTH, timeout=20) as http:
        job_id, slug = await _submit(http, pages, "19.99", "19.99")
        done = await _finished(http, job_id)
    assert done["status"] == "completed", done
    recheck = done["qa"]["priceRecheck"]
    assert (recheck["status"], recheck["outcome"], recheck["action"]) == ("checked", "unchanged", "none")
    assert recheck["afterSeconds"] == 0 and recheck["ageSeconds"] >= 0
    assert pages.hits[slug] == 2 and "19.99" in _overlay(boto, job_id)


async def test_a_product_removed_after_the_scrape_fails_the_job_with_product_gone(
    rechecking: Services, pages: PageServer
) -> None:
    """The page answers 410 on the re-read: the job fails at render with product_gone and a way out."""
    async with httpx.AsyncClient(base_url=rechecking.api, headers=AUTH, timeout=20) as http:
        job_id, _ = await _submit(http, pages, "19.99", 410)
        failed = await _finished(http, job_id)
    assert failed["status"] == "failed", failed
    assert failed["error"]["code"] == "product_gone" and failed["error"]["stage"] == "render"
    assert "410" in failed["error"]["reason"] and failed["images"] == []
    assert failed["qa"]["priceRecheck"]["outcome"] == "gone"


def _two_prices(base: str, slug: str) -> str:
    """The page after the shop's edit: no price markup, two prices beside the buy button."""
    return f"""<!doctype html><html lang="en"><head><title>Stoneware Mug</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Product",
"name": "Stoneware Mug"}}</script></head><body><main>
<div class="product"><h1>Stoneware Mug</h1>
<img src="{base}/img/{slug}.jpg" alt="Stoneware Mug">
<div class="price-box"><span class="price">$24.99</span></div>
<div class="price-box-alt"><span class="price">$29.99</span></div>
<button class="add-to-cart">Add to cart</button></div></main></body></html>"""


async def test_a_new_price_in_question_goes_back_to_review_and_prints_the_answer(
    rechecking: Services, pages: PageServer, boto: Any
) -> None:
    """onUncertain=review, scraped at a sure 19.99, two prices on the page at render time: the
    renderer sends the job back to review (ProductNeedsReview, no image), and the person's answer
    is printed, never 19.99; the answered price is not re-read."""
    queue, _ = _subscribe(boto, f"rereview-{uuid.uuid4().hex[:8]}",
                          {"source": ["productshot.scraper"], "detail-type": ["ProductNeedsReview"]})
    slug = f"mug-{uuid.uuid4().hex[:8]}"
    url = pages.add_product(slug, "Stoneware Mug", "19.99", currency="USD")
    pages.later[slug] = _two_prices(pages.base, slug)
    async with httpx.AsyncClient(base_url=rechecking.api, headers=AUTH, timeout=20) as http:
        resp = await http.post("/v1/jobs", json={"productUrl": url, "onUncertain": "review"})
        assert resp.status_code == 202, resp.text
        job_id = resp.json()["jobId"]
        deadline = time.monotonic() + 60
        held: dict[str, Any] = {}
        while time.monotonic() < deadline:
            held = (await http.get(f"/v1/jobs/{job_id}")).json()
            if held["status"] in ("review", "completed", "failed"):
                break
            await asyncio.sleep(0.3)
        assert held["status"] == "review" and held["images"] == [], held
        assert held["qa"]["priceRecheck"]["action"] == "review"
        assert {c["value"] for c in held["review"]["facts"]["price"]["candidates"]} == {"24.99", "29.99"}
        events = [e for e in _drain(boto, queue, want=1) if e["detail"]["jobId"] == job_id]
        assert len(events) == 1
        validate_detail("ProductNeedsReview", events[0]["detail"])

        answered = await http.post(f"/v1/jobs/{job_id}/review", json={"product": {"price": "24.99", "currency": "USD"}})
        assert answered.status_code == 202, answered.text
        done = await _finished(http, job_id)
    assert done["status"] == "completed", done
    assert done["product"]["price"] == "24.99"
    assert done["qa"]["priceRecheck"]["reason"] == "a person answered for the price in review"
    assert pages.hits[slug] == 2  # the scrape and one recheck: the answered price is not re-read
    overlay = _overlay(boto, job_id)
    assert "24.99" in overlay and "19.99" not in overlay
