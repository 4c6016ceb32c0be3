"""The scraper handler under each onUncertain policy: hide, fail and review, on in-memory fakes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from services.common.errors import JobTransitionConflictError, PermanentError
from services.common.events import DetailType, validate_detail
from services.common.fact_evidence import evidence_from_dict
from services.common.fact_policy import PRINT_CONFIDENCE
from services.common.fetching.fetched_content import FetchedPage
from services.common.job import Job, JobOptions
from services.common.job_states import JobStatus
from services.common.messages import scrape_request_body
from services.common.queue_message import QueueMessage
from services.scraper.handler import ScrapeHandler
from tests.fakes import InMemoryJobFiles, InMemoryJobStore, RecordingPublisher

URL = "https://shop.example.com/p/kettle"
# No price markup (JSON-LD names the product, nothing more), two different prices beside the
# buy button: nothing says which one is asked.
AMBIGUOUS = """<!doctype html><html lang="en"><head><title>Copper Kettle</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
"name": "Copper Kettle 1.5 L"}</script></head><body><main>
<div class="product"><h1>Copper Kettle 1.5 L</h1>
<div class="price-box"><span class="price">€49.99</span></div>
<div class="price-box-alt"><span class="price">€59.99</span></div>
<button class="add-to-cart">Add to cart</button></div></main></body></html>"""
CLEAR = """<!doctype html><html lang="en"><head><title>Copper Kettle</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product", "name": "Copper Kettle 1.5 L",
"offers": {"@type": "Offer", "price": "49.99", "priceCurrency": "EUR"}}</script></head><body><main>
<div class="product"><h1>Copper Kettle 1.5 L</h1><span class="price">€49.99</span>
<button class="add-to-cart">Add to cart</button></div></main></body></html>"""


class FakeFetcher:
    def __init__(self, html: str) -> None:
        self.html = html

    async def fetch_page(self, url: str, gate: object = None) -> FetchedPage:
        return FetchedPage(url=url, final_url=url, status=200, content_type="text/html", encoding="utf-8",
                           body=self.html.encode(), text=self.html, headers={}, redirects=[])

    async def fetch_image(self, url: str, gate: object = None) -> Any:
        raise AssertionError("the test pages have no images")


class Stored:
    """The shared in-memory store, seen through its one job."""

    def __init__(self, job: Job) -> None:
        self.store = InMemoryJobStore([job])
        self.job = job  # the fake moves the stored job in place

    @property
    def pending(self) -> str | None:
        return self.store.extras.get(self.job.jobId, {}).get("pendingEvent")


def _run(html: str, policy: str) -> tuple[Stored, RecordingPublisher, ScrapeHandler, QueueMessage]:
    job = Job.new(ttl_hours=1, productUrl=URL, options=JobOptions(onUncertain=policy))
    store, publisher = Stored(job), RecordingPublisher()
    handler = ScrapeHandler(store=store.store, publisher=publisher, fetcher=FakeFetcher(html),  # type: ignore[arg-type]
                            files=InMemoryJobFiles(), worker_id="w1", lease_seconds=60)
    message = QueueMessage("m1", "r1", scrape_request_body(job.jobId, 1), 1)
    return store, publisher, handler, message


async def test_a_sure_product_is_scraped_as_before_whatever_the_policy() -> None:
    """Facts backed by markup are certain: the job is scraped with its price, nothing hidden or held."""
    store, publisher, handler, message = _run(CLEAR, "fail")
    await handler.handle(message)
    assert store.job.status == JobStatus.SCRAPED and store.job.product is not None
    assert store.job.product["price"] == "49.99" and store.job.hiddenFacts == [] == store.job.reviewFacts
    assert evidence_from_dict(store.job.evidence)["price"].confidence >= PRINT_CONFIDENCE
    # Certain facts are stored without their candidates (they are most of an item's size).
    assert all(not fact.candidates for fact in evidence_from_dict(store.job.evidence).values())
    assert [e[0] for e in publisher.events] == [DetailType.PRODUCT_SCRAPED] and store.pending is None


async def test_hide_renders_without_the_uncertain_price_and_records_it() -> None:
    """onUncertain=hide: the product handed to rendering has no price; the job says what was hidden
    and keeps the full evidence (the candidates) for whoever looks."""
    store, publisher, handler, message = _run(AMBIGUOUS, "hide")
    await handler.handle(message)
    assert store.job.status == JobStatus.SCRAPED and store.job.hiddenFacts == ["price"]
    [(kind, detail, _)] = publisher.events
    assert kind == DetailType.PRODUCT_SCRAPED
    assert detail["product"]["price"] is None and detail["product"]["name"] == "Copper Kettle 1.5 L"
    validate_detail(kind.value, detail)
    candidates = evidence_from_dict(store.job.evidence)["price"].candidates
    assert {c.value for c in candidates} == {"49.99", "59.99"}


async def test_hiding_an_uncertain_name_still_publishes_a_valid_product_scraped() -> None:
    """A name read only from the page's heading is uncertain too; hidden, it is null in a
    ProductScraped that still passes its schema (the renderer prints no name)."""
    bare = AMBIGUOUS.replace('<script type="application/ld+json">', "<!--").replace("</script>", "-->")
    store, publisher, handler, message = _run(bare, "hide")
    await handler.handle(message)
    assert store.job.status == JobStatus.SCRAPED and "name" in store.job.hiddenFacts
    [(kind, detail, _)] = publisher.events
    assert detail["product"]["name"] is None
    validate_detail(kind.value, detail)


async def test_fail_fails_with_a_reason_naming_the_facts_and_what_to_do() -> None:
    """onUncertain=fail: a permanent error whose reason lists the candidates and the way out."""
    store, publisher, handler, message = _run(AMBIGUOUS, "fail")
    with pytest.raises(PermanentError) as failure:
        await handler.handle(message)
    assert failure.value.reason == (
        "the page's price is ambiguous (two prices near the buy button: 49.99, 59.99); "
        "submit the product facts yourself or use onUncertain=review"
    )
    # The lease is given up at once (expired now), so another worker could take it.
    assert publisher.events == [] and store.job.status == JobStatus.SCRAPING and store.job.leaseExpiresAt == 0


async def test_review_holds_the_job_and_publishes_product_needs_review_not_product_scraped() -> None:
    """onUncertain=review: the job moves to review with reviewFacts; ProductNeedsReview carries the
    candidates and where to answer; nothing is rendered."""
    store, publisher, handler, message = _run(AMBIGUOUS, "review")
    await handler.handle(message)
    assert store.job.status == JobStatus.REVIEW and store.job.reviewFacts == ["price"]
    [(kind, detail, source)] = publisher.events
    assert (kind, source) == (DetailType.PRODUCT_NEEDS_REVIEW, "productshot.scraper")
    assert detail["reviewFacts"] == ["price"] and detail["reviewPath"] == f"/v1/jobs/{store.job.jobId}/review"
    assert {c["value"] for c in detail["facts"]["price"]["candidates"]} == {"49.99", "59.99"}
    assert store.pending is None


async def test_a_duplicate_message_after_a_lost_review_event_publishes_it_again() -> None:
    """The outbox covers review too: the worker died after the write, the redelivered message
    finds the job in review with ProductNeedsReview pending and publishes it (same event id)."""
    store, publisher, handler, message = _run(AMBIGUOUS, "review")
    await handler.handle(message)
    first = publisher.events[0][1]["eventId"]
    # As if the clear never happened:
    store.store.extras[store.job.jobId]["pendingEvent"] = DetailType.PRODUCT_NEEDS_REVIEW.value

    async def conflict(*_: Any, **__: Any) -> Job:
        raise JobTransitionConflictError(copy.deepcopy(store.job), "scraping")

    store.store.claim = conflict  # type: ignore[method-assign]
    await handler.handle(message)
    assert [e[0] for e in publisher.events] == [DetailType.PRODUCT_NEEDS_REVIEW] * 2
    assert publisher.events[1][1]["eventId"] == first and store.pending is None
