"""The price against the page: re-read an aged product page before its price is painted.

A job's facts are read from the shop's page when it is scraped; by the time the renderer
takes the job (a review wait, retries, a queue backlog) the shop may have changed the
price. When the facts are older than the configured age, the renderer re-reads the page
with the reader the scraper uses (services/common/page_facts.py) before it calls the image
model, and compares the price and currency it would print with the page's. A different or
no longer print-certain price is never printed: the fresh read goes through the fact
policy as at the scrape, and the job continues with its facts, goes to review, or fails.
See docs/rendering.md, "Price against the page".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from services.common.errors import PermanentError
from services.common.extraction.errors import UncertainFactsError
from services.common.fact_evidence import Evidence, evidence_from_dict
from services.common.fact_policy import OnUncertain, hide_facts, uncertain_facts
from services.common.fetching.fetch_errors import HttpStatusError
from services.common.fetching.safe_fetch import SafeFetcher
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.page_facts import PageFacts, read_page_facts
from services.common.product import Product
from services.renderer.quality.errors import ProductPageGoneError

__all__ = ["RecheckOutcome", "PriceRecheck", "PriceRechecker", "skip_reason", "facts_age", "price_difference"]

#: Statuses a re-read page answers when the product is gone for good.
_GONE_STATUSES = frozenset({404, 410})


class RecheckOutcome(StrEnum):
    SKIPPED = "skipped"
    UNCHANGED = "unchanged"
    CHANGED = "changed"  # a different, missing or uncertain price: the fresh read decides
    GONE = "gone"  # the page answers 404/410


@dataclass(slots=True)
class PriceRecheck:
    """What the recheck found and did; ``facts`` is the fresh read when the price changed."""

    outcome: RecheckOutcome
    reason: str
    age_seconds: float | None = None
    after_seconds: float | None = None
    printed: dict[str, str | None] = field(default_factory=dict)
    page: dict[str, Any] | None = None
    action: str = "none"  # none, reextracted, review, failed
    facts: PageFacts | None = None
    error: PermanentError | None = None  # the job fails with it (after its QA report is stored)

    def to_dict(self) -> dict[str, Any]:
        """The ``qa.priceRecheck`` entry of the job and of ProductImageGenerated."""
        data: dict[str, Any] = {"status": "skipped" if self.outcome is RecheckOutcome.SKIPPED else "checked",
                                "outcome": self.outcome.value, "reason": self.reason[:300], "action": self.action,
                                "ageSeconds": None if self.age_seconds is None else round(self.age_seconds, 1),
                                "afterSeconds": self.after_seconds}
        if self.printed:
            data["printed"] = dict(self.printed)
        if self.page is not None:
            data["page"] = dict(self.page)
        return data


def facts_age(job: Job, now: datetime) -> float:
    """Seconds since the job's facts were read from the page.

    The read happens right after the job enters ``scraping`` (that entry is stamped again
    by every scrape attempt), so its timestamp dates the facts; ``scraped`` would not: a
    review answer re-enters ``scraped`` and would hide the review wait. A job stored
    without it counts from ``createdAt`` (older, so never a missed recheck).
    """
    stamp = job.timestamps.get(JobStatus.SCRAPING.value) or job.createdAt
    try:
        read = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return float("inf")  # an unreadable time: treat the facts as old
    if read.tzinfo is None:
        read = read.replace(tzinfo=UTC)
    return max(0.0, (now - read).total_seconds())


def skip_reason(job: Job, *, after: float | None, now: datetime) -> str | None:
    """Why this job's price is not re-read (None: re-read it)."""
    if after is None:
        return "price recheck is off"
    if not job.productUrl or job.evidence is None:
        return "the caller gave the product facts"
    product = Product.from_dict(job.product or {})
    if product.price in (None, ""):
        return "no price is printed"
    price = evidence_from_dict(job.evidence).get("price")
    if price is not None and price.source == "review":
        return "a person answered for the price in review"
    age = facts_age(job, now)
    if age < after:
        return f"facts read {age:.0f} s ago, rechecked after {after:.0f} s"
    return None


def price_difference(printed: Product, fresh: Product, evidence: Evidence) -> str | None:
    """What differs between the printed price and the page's (None: the page prints the same).

    The regular price and the offer are printed beside the price ("was 159.00", "-20%"), so
    a sale that ended is a change too; they are compared as the policy would print them
    (an uncertain one hidden), so a fact hidden at the scrape and still unsure is no change.
    """
    if fresh.price in (None, ""):
        return "the page shows no price now"
    unsure = uncertain_facts(fresh, evidence)
    in_doubt = [name for name in unsure if name in ("price", "currency")]
    if in_doubt:
        return f"the page's {' and '.join(in_doubt)} is uncertain now"
    if (printed.currency or "").upper() != (fresh.currency or "").upper():
        return f"the currency changed from {printed.currency} to {fresh.currency}"
    if _amount(printed.price) != _amount(fresh.price):
        return f"the price changed from {printed.price} to {fresh.price}"
    kept = hide_facts(fresh, unsure)
    if _amount(printed.regularPrice) != _amount(kept.regularPrice):
        return f"the regular price changed from {printed.regularPrice} to {kept.regularPrice}"
    if (printed.offer or None) != (kept.offer or None):
        return f"the offer changed from {printed.offer} to {kept.offer}"
    return None


def _amount(price: str | None) -> Decimal | str | None:
    if price in (None, ""):
        return None
    try:
        return Decimal(str(price))
    except (InvalidOperation, ValueError):
        return price  # compared as text: unequal unless identical


class PriceRechecker:
    """Re-reads an aged page's price; ``after`` None turns the recheck off."""

    def __init__(self, fetcher: SafeFetcher | None, *, after: float | None) -> None:
        self._fetcher = fetcher
        self._after = None if fetcher is None else after

    async def check(self, job: Job) -> PriceRecheck:
        """The recheck of ``job``'s printed price. A permanent failure of the re-read (page gone,
        no price, uncertain under ``fail``) comes back as ``error``; transient fetch errors
        are raised, so the message is retried like any other."""
        now = datetime.now(UTC)
        reason = skip_reason(job, after=self._after, now=now)
        if reason is not None:
            return PriceRecheck(RecheckOutcome.SKIPPED, reason, after_seconds=self._after)
        assert self._fetcher is not None and job.productUrl is not None  # skip_reason said so
        printed = Product.from_dict(job.product or {})
        shown = {"price": printed.price, "currency": printed.currency}
        age = facts_age(job, now)
        try:
            facts = await read_page_facts(self._fetcher, job.productUrl, OnUncertain(job.options.onUncertain),
                                          job_id=job.jobId)
        except HttpStatusError as exc:
            if exc.status not in _GONE_STATUSES:
                raise
            gone = ProductPageGoneError(
                f"The product page answered {exc.status} when we re-read its price before printing it: "
                "check the product URL, or submit the product facts yourself")
            return PriceRecheck(RecheckOutcome.GONE, gone.reason, age, self._after, shown, None, "failed", error=gone)
        except PermanentError as exc:  # no product, no price, uncertain under onUncertain=fail: as at the scrape
            return PriceRecheck(RecheckOutcome.CHANGED, exc.reason, age, self._after, shown, None, "failed", error=exc)
        page = {"price": facts.product.price, "currency": facts.product.currency,
                "confidence": round(facts.evidence["price"].confidence, 3) if "price" in facts.evidence else None}
        difference = price_difference(printed, facts.product, facts.evidence)
        if difference is None:
            return PriceRecheck(RecheckOutcome.UNCHANGED, "the page shows the printed price", age, self._after,
                                shown, page)
        if facts.decision.review and JobStatus.REVIEW.value in job.timestamps:
            # One review per attempt: its events' ids are per attempt, so a second request for
            # a person would be dropped by subscribers as a duplicate. A retry starts afresh.
            again = UncertainFactsError(
                f"After this job's review the page changed ({difference}): retry the job to review "
                "the new facts, or submit the product facts yourself")
            return PriceRecheck(RecheckOutcome.CHANGED, difference, age, self._after, shown, page, "failed",
                                error=again)
        action = "review" if facts.decision.review else "reextracted"
        return PriceRecheck(RecheckOutcome.CHANGED, difference, age, self._after, shown, page, action, facts)
