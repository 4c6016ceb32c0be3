"""The price against the page: when a job's price is re-read, and what a changed page does to it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.common.extraction.errors import NoProductError
from services.common.fact_evidence import FactEvidence, evidence_to_dict
from services.common.fetching.fetch_errors import FetchTimeoutError, HttpStatusError
from services.common.fetching.fetched_content import FetchedPage
from services.common.job import Job, JobOptions
from services.common.job_states import JobStatus
from services.common.product import Product
from services.renderer.quality.errors import ProductPageGoneError
from services.renderer.quality.price_recheck import (
    PriceRechecker,
    RecheckOutcome,
    facts_age,
    price_difference,
    skip_reason,
)
from services.renderer.settings import RendererSettings

URL = "https://shop.example.com/p/kettle"
JOB_ID = "1b4e28ba-2fa1-41d2-883f-0016d3cca427"
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
SURE = FactEvidence(confidence=0.95, source="jsonld")


def page(price: str | None, currency: str = "EUR") -> str:
    offer = f',"offers": {{"@type": "Offer", "price": "{price}", "priceCurrency": "{currency}"}}' if price else ""
    return f"""<!doctype html><html lang="en"><head><title>Copper Kettle</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Product",
"name": "Copper Kettle 1.5 L"{offer}}}</script></head><body><main>
<div class="product"><h1>Copper Kettle 1.5 L</h1>
<button class="add-to-cart">Add to cart</button></div></main></body></html>"""


AMBIGUOUS = """<!doctype html><html lang="en"><head><title>Copper Kettle</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
"name": "Copper Kettle 1.5 L"}</script></head><body><main>
<div class="product"><h1>Copper Kettle 1.5 L</h1>
<div class="price-box"><span class="price">€49.99</span></div>
<div class="price-box-alt"><span class="price">€59.99</span></div>
<button class="add-to-cart">Add to cart</button></div></main></body></html>"""


class FakeFetcher:
    """Answers every page with ``html``, or raises ``error``; counts the reads."""

    def __init__(self, html: str = "", error: Exception | None = None) -> None:
        self.html, self.error, self.reads = html, error, 0

    async def fetch_page(self, url: str, gate: object = None) -> FetchedPage:
        self.reads += 1
        if self.error is not None:
            raise self.error
        return FetchedPage(url=url, final_url=url, status=200, content_type="text/html", encoding="utf-8",
                           body=self.html.encode(), text=self.html, headers={}, redirects=[])


def scraped_job(price: str | None = "49.99", *, read_ago: float = 3600, policy: str = "hide",
                url: str | None = URL, evidence: dict[str, Any] | None = None, now: datetime | None = None) -> Job:
    product = Product(name="Copper Kettle 1.5 L", price=price, currency="EUR")
    read = ((now or datetime.now(UTC)) - timedelta(seconds=read_ago)).isoformat()
    default = evidence_to_dict({"name": SURE, "price": SURE, "currency": SURE})
    return Job(jobId=JOB_ID, status=JobStatus.RENDERING, productUrl=url, product=product.to_dict(),
               evidence=default if evidence is None else evidence, options=JobOptions(onUncertain=policy),
               timestamps={"pending": read, "scraping": read, "scraped": datetime.now(UTC).isoformat()})


def test_the_age_of_the_facts_counts_from_the_page_read_not_from_a_review_answer() -> None:
    """A review answer re-enters scraped a minute ago; the page was read two hours ago: the age is 2 h."""
    job = Job(jobId="j1", status=JobStatus.SCRAPED, createdAt="2026-12-04T09:00:00Z",
              timestamps={"scraping": "2026-12-04T10:00:00.000Z", "review": "2026-12-04T10:00:05.000Z",
                          "scraped": "2026-12-04T11:59:00.000Z"})
    assert facts_age(job, NOW) == 7200
    del job.timestamps["scraping"]
    assert facts_age(job, NOW) == 3 * 3600  # no scrape stamp: from createdAt, older, never a missed recheck


@pytest.mark.parametrize(("job", "after", "reason"), [
    (scraped_job(), None, "price recheck is off"),
    (scraped_job(url=None), 0, "the caller gave the product facts"),
    (scraped_job(evidence={}), 0, None),  # scraped, evidence without the price: re-read (fail closed)
    (scraped_job(price=None), 0, "no price is printed"),
    (scraped_job(evidence=evidence_to_dict({"price": FactEvidence(1.0, "review")})), 0,
     "a person answered for the price in review"),
    (scraped_job(read_ago=60, now=NOW), 900, "facts read 60 s ago, rechecked after 900 s"),
    (scraped_job(read_ago=901, now=NOW), 900, None),
    (scraped_job(read_ago=0, now=NOW), 0, None),
])
def test_which_jobs_are_rechecked(job: Job, after: float | None, reason: str | None) -> None:
    """Off, caller-given facts, no printed price and a person's price are never re-read; aged ones are."""
    if job.productUrl is None:
        job.evidence = None  # a caller's product carries no evidence
    assert skip_reason(job, after=after, now=NOW) == reason


def test_price_difference_compares_amount_and_currency_as_numbers() -> None:
    """49.9 and 49.90 are one price; another amount, another currency or an uncertain price differ."""
    printed = Product(price="49.90", currency="EUR")
    sure = {"price": SURE, "currency": SURE}
    assert price_difference(printed, Product(price="49.9", currency="eur"), sure) is None
    assert price_difference(printed, Product(price="54.90", currency="EUR"), sure) == \
        "the price changed from 49.90 to 54.90"
    assert price_difference(printed, Product(price="49.90", currency="USD"), sure) == \
        "the currency changed from EUR to USD"
    assert price_difference(printed, Product(price=None), sure) == "the page shows no price now"
    unsure = {"price": FactEvidence(0.5, "dom"), "currency": SURE}
    assert price_difference(printed, Product(price="49.90", currency="EUR"), unsure) == \
        "the page's price is uncertain now"


def test_a_sale_that_ended_is_a_change_even_at_the_same_price() -> None:
    """"was 159.00" and "-20%" are printed beside the price: a regular price or offer gone is a change;
    one hidden at the scrape and still uncertain now is not."""
    printed = Product(price="129.00", currency="USD", regularPrice="159.00", offer="-20%")
    sure = {"price": SURE, "currency": SURE, "regularPrice": SURE, "offer": SURE}
    assert price_difference(printed, Product(price="129.00", currency="USD", regularPrice="159.0", offer="-20%"),
                            sure) is None
    assert price_difference(printed, Product(price="129.00", currency="USD"), sure) == \
        "the regular price changed from 159.00 to None"
    assert price_difference(printed, Product(price="129.00", currency="USD", regularPrice="159.00"), sure) == \
        "the offer changed from -20% to None"
    hidden_at_scrape = Product(price="129.00", currency="USD")
    still_unsure = {**sure, "regularPrice": FactEvidence(0.4, "dom"), "offer": FactEvidence(0.4, "dom")}
    assert price_difference(hidden_at_scrape, Product(price="129.00", currency="USD", regularPrice="159.00",
                                                      offer="-20%"), still_unsure) is None


async def test_an_unchanged_page_keeps_the_job_as_it_is() -> None:
    """The page shows the printed price: checked, unchanged, nothing to re-apply."""
    fetcher = FakeFetcher(page("49.99"))
    recheck = await PriceRechecker(fetcher, after=900).check(scraped_job())  # type: ignore[arg-type]
    assert recheck.outcome is RecheckOutcome.UNCHANGED and recheck.facts is None and recheck.error is None
    entry = recheck.to_dict()
    assert entry["status"] == "checked" and entry["action"] == "none"
    assert entry["printed"] == {"price": "49.99", "currency": "EUR"}
    assert entry["page"]["price"] == "49.99" and entry["page"]["confidence"] >= 0.8
    assert fetcher.reads == 1


async def test_a_changed_price_comes_back_as_the_fresh_read_under_the_jobs_policy() -> None:
    """The page now asks 54.99: the fresh read's facts replace the old ones (action reextracted)."""
    recheck = await PriceRechecker(FakeFetcher(page("54.99")), after=0).check(scraped_job())  # type: ignore[arg-type]
    assert recheck.outcome is RecheckOutcome.CHANGED and recheck.action == "reextracted"
    assert recheck.facts is not None and recheck.facts.kept.price == "54.99"
    assert recheck.facts.job_fields()["product"]["price"] == "54.99"
    assert recheck.to_dict()["reason"] == "the price changed from 49.99 to 54.99"


async def test_an_uncertain_new_price_is_hidden_held_for_review_or_fails_as_at_the_scrape() -> None:
    """Two prices now: hide prints none, review asks a person, fail fails with uncertain_facts."""
    hide = await PriceRechecker(FakeFetcher(AMBIGUOUS), after=0).check(scraped_job())  # type: ignore[arg-type]
    assert hide.facts is not None and hide.facts.kept.price is None and hide.facts.decision.hidden == ["price"]
    review = await PriceRechecker(FakeFetcher(AMBIGUOUS), after=0).check(  # type: ignore[arg-type]
        scraped_job(policy="review"))
    assert review.action == "review" and review.facts is not None and review.facts.decision.review == ["price"]
    fail = await PriceRechecker(FakeFetcher(AMBIGUOUS), after=0).check(  # type: ignore[arg-type]
        scraped_job(policy="fail"))
    assert fail.action == "failed" and fail.error is not None
    assert fail.error.failure_code.value == "uncertain_facts"


async def test_a_second_review_in_one_attempt_fails_the_job_with_a_way_out() -> None:
    """Reviewed once already this attempt: no second review request (its event id would repeat);
    the job fails with uncertain_facts, telling the shop to retry (a new attempt) or submit the facts."""
    job = scraped_job(policy="review")
    job.timestamps["review"] = job.timestamps["scraping"]
    recheck = await PriceRechecker(FakeFetcher(AMBIGUOUS), after=0).check(job)  # type: ignore[arg-type]
    assert recheck.action == "failed" and recheck.error is not None and recheck.facts is None
    assert recheck.error.failure_code.value == "uncertain_facts" and "retry the job" in recheck.error.reason


async def test_a_page_without_a_price_now_fails_the_job_as_the_scraper_would() -> None:
    """No price on the re-read page: the extractor's own permanent error, never the old price."""
    recheck = await PriceRechecker(FakeFetcher(page(None)), after=0).check(scraped_job())  # type: ignore[arg-type]
    assert recheck.outcome is RecheckOutcome.CHANGED and isinstance(recheck.error, NoProductError)


@pytest.mark.parametrize("status", [404, 410])
async def test_a_page_gone_fails_with_product_gone(status: int) -> None:
    """404/410 on the re-read: product_gone, with a reason naming the status and the way out."""
    gone = FakeFetcher(error=HttpStatusError(f"The page answered {status}", status))
    recheck = await PriceRechecker(gone, after=0).check(scraped_job())  # type: ignore[arg-type]
    assert recheck.outcome is RecheckOutcome.GONE and isinstance(recheck.error, ProductPageGoneError)
    assert recheck.error.failure_code.value == "product_gone" and str(status) in recheck.error.reason
    assert recheck.to_dict()["action"] == "failed"


async def test_a_transient_fetch_failure_is_raised_for_the_retry_path() -> None:
    """A timeout is not a verdict on the price: it propagates, so the message is retried."""
    with pytest.raises(FetchTimeoutError):
        await PriceRechecker(FakeFetcher(error=FetchTimeoutError("slow")), after=0).check(  # type: ignore[arg-type]
            scraped_job())


async def test_without_a_fetcher_nothing_is_re_read() -> None:
    """A renderer built without a fetcher (tests, tools) reports the recheck as off."""
    recheck = await PriceRechecker(None, after=0).check(scraped_job())
    assert recheck.outcome is RecheckOutcome.SKIPPED and recheck.to_dict()["reason"] == "price recheck is off"


def test_the_setting_takes_seconds_zero_or_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """RENDERER_PRICE_RECHECK_AFTER_SECONDS: 900 by default, 0 always, "off" never, negative refused."""
    monkeypatch.delenv("RENDERER_PRICE_RECHECK_AFTER_SECONDS", raising=False)
    assert RendererSettings().price_recheck_after_seconds == 900
    for value, expected in (("0", 0.0), ("off", None), ("OFF", None), ("120.5", 120.5)):
        monkeypatch.setenv("RENDERER_PRICE_RECHECK_AFTER_SECONDS", value)
        assert RendererSettings().price_recheck_after_seconds == expected
    monkeypatch.setenv("RENDERER_PRICE_RECHECK_AFTER_SECONDS", "-1")
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        RendererSettings()
