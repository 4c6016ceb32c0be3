"""Reading a product page into the facts a job stores: fetch, extract, apply the fact policy.

Written once and used by the scraper (the first read) and by the renderer's price recheck
(a second read of a page whose facts have aged), so a re-read goes through exactly the
extraction and policy the first read did.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from services.common.extraction import extract_with_evidence
from services.common.extraction.errors import UncertainFactsError
from services.common.fact_evidence import Evidence, evidence_to_dict
from services.common.fact_policy import OnUncertain
from services.common.fetching.safe_fetch import RequestGate, SafeFetcher
from services.common.metrics import Metric, emit_many
from services.common.product import Product
from services.common.uncertain_facts import FactDecision, decide

__all__ = ["PageFacts", "read_page_facts"]


@dataclass(slots=True)
class PageFacts:
    """One read of a page: the product as extracted, its evidence and the policy's decision."""

    product: Product  # as extracted (before the policy hid anything)
    evidence: Evidence
    decision: FactDecision

    @property
    def kept(self) -> Product:
        """The facts the job stores: hidden facts removed; in review, the facts as scraped."""
        return self.decision.product or self.product

    def job_fields(self) -> dict[str, Any]:
        """The job's fields this read sets (product, evidence, hidden and review facts)."""
        evidence = evidence_to_dict(self.evidence, candidates_for=self.decision.hidden + self.decision.review)
        return {"product": self.kept.to_dict(), "evidence": evidence,
                "hiddenFacts": self.decision.hidden, "reviewFacts": self.decision.review}


async def read_page_facts(
    fetcher: SafeFetcher, url: str, policy: OnUncertain, *, job_id: str, gate: RequestGate | None = None
) -> PageFacts:
    """Fetch ``url`` and read its product under ``policy``.

    Raises the fetcher's errors, the extractor's (no product, no price) and
    UncertainFactsError when the policy is ``fail`` and a printed fact is uncertain. ``gate``
    paces the request per shop host (the scraper's politeness).
    """
    page = await fetcher.fetch_page(url, gate)
    extraction = await asyncio.to_thread(
        # The fetcher decoded the page with its HTTP charset, which the HTML alone may not declare.
        extract_with_evidence, page.text, page.final_url, content_language=page.headers.get("content-language")
    )
    product = extraction.product
    product.url = page.final_url
    if extraction.evidence:  # how sure the scraper is of this shop's markup, before any policy
        emit_many({Metric.EXTRACTION_CONFIDENCE: min(f.confidence for f in extraction.evidence.values()),
                   Metric.FIELDS_FOUND: len(extraction.evidence)}, properties={"jobId": job_id})
    decision = decide(product, extraction.evidence, policy)
    if decision.failure is not None:
        raise UncertainFactsError(decision.failure)
    return PageFacts(product, extraction.evidence, decision)
