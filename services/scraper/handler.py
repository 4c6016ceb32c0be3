"""What the scraper does with one scrape request.

Every request to a shop (the page, each product photo) goes through ``ShopPoliteness``:
robots.txt first, then the host's shared pace (docs/fetching.md). The entry point always
passes one; unit tests that are not about politeness leave it out.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from services.common.consumer import QueueMessage
from services.common.errors import (
    PermanentError,
    ProductshotError,
)
from services.common.events import DetailType, EventPublisher
from services.common.fact_evidence import evidence_to_dict
from services.common.fact_policy import OnUncertain
from services.common.fetching.safe_fetch import RequestGate, SafeFetcher
from services.common.job import Job
from services.common.job_files import JobFiles, source_image_key
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger
from services.common.messages import JobRef, PolitenessOverride, parse_scrape_request
from services.common.metrics import Metric, emit_many
from services.common.product import Product
from services.common.stage_events import publish_product_needs_review, publish_product_scraped
from services.common.stage_handler import StageHandler
from services.scraper.extraction import extract_with_evidence
from services.scraper.extraction.errors import UncertainFactsError
from services.scraper.shop_politeness import ShopPoliteness
from services.scraper.uncertain_facts import decide

__all__ = ["ScrapeHandler"]

_log = get_logger(__name__)


class ScrapeHandler(StageHandler):
    working, done, event = JobStatus.SCRAPING, JobStatus.SCRAPED, DetailType.PRODUCT_SCRAPED
    also_done = {JobStatus.REVIEW: DetailType.PRODUCT_NEEDS_REVIEW}
    stage, service = "scrape", "scraper"

    def __init__(self, *, store: JobStore, publisher: EventPublisher, fetcher: SafeFetcher, files: JobFiles,
                 worker_id: str, lease_seconds: float, max_source_images: int = 3,
                 politeness: ShopPoliteness | None = None) -> None:
        super().__init__(store=store, publisher=publisher, worker_id=worker_id, lease_seconds=lease_seconds)
        self._fetcher = fetcher
        self._files = files
        self._max_images = max_source_images
        self._politeness = politeness

    async def _admit(self, url: str, job: Job, override: PolitenessOverride | None) -> RequestGate | None:
        if self._politeness is None:
            return None
        return await self._politeness.admit(url, tenant=job.tenant, override=override)

    def parse(self, message: QueueMessage) -> JobRef:
        return parse_scrape_request(message.json())

    async def publish(self, job: Job) -> None:
        if job.status == JobStatus.REVIEW:
            await publish_product_needs_review(self._publisher, job)
        else:
            await publish_product_scraped(self._publisher, job)

    async def work(self, job: Job, ref: JobRef) -> Job:
        if not job.productUrl:
            raise PermanentError("the job has no product URL to scrape")
        started = time.perf_counter()
        gate = await self._admit(job.productUrl, job, ref.politeness)
        page = await self._fetcher.fetch_page(job.productUrl, gate)
        extraction = await asyncio.to_thread(
            # The fetcher decoded the page with its HTTP charset, which the HTML alone may not declare.
            extract_with_evidence, page.text, page.final_url, content_language=page.headers.get("content-language")
        )
        product = extraction.product
        product.url = page.final_url
        if extraction.evidence:  # how sure the scraper is of this shop's markup, before any policy
            emit_many({Metric.EXTRACTION_CONFIDENCE: min(f.confidence for f in extraction.evidence.values()),
                       Metric.FIELDS_FOUND: len(extraction.evidence)}, properties={"jobId": job.jobId})
        decision = decide(product, extraction.evidence, OnUncertain(job.options.onUncertain))
        if decision.failure is not None:
            raise UncertainFactsError(decision.failure)
        source_key = await self._store_photo(job, product, ref.politeness)
        # In review the job keeps the facts as scraped: the person's answer is merged onto them.
        kept = decision.product or product
        evidence = evidence_to_dict(extraction.evidence, candidates_for=decision.hidden + decision.review)
        fields: dict[str, Any] = {"product": kept.to_dict(), "evidence": evidence,
                                  "hiddenFacts": decision.hidden, "reviewFacts": decision.review}
        if source_key:
            fields["sourceImageKey"] = source_key
        job = await self.advance(ref, fields, to=JobStatus.REVIEW if decision.review else None)
        _log.info("product_scraped", name=kept.name, price=kept.price, currency=kept.currency,
                  photo=bool(source_key), hidden=decision.hidden, review=decision.review,
                  ms=round((time.perf_counter() - started) * 1000))
        return job

    async def _store_photo(self, job: Job, product: Product, override: PolitenessOverride | None) -> str | None:
        """Fetch the best product photo (same safe fetcher, same politeness) and keep it for the renderer.

        A photo robots.txt forbids, or whose host is busy, is skipped like a broken one."""
        for url in product.images[: self._max_images]:
            try:
                image = await self._fetcher.fetch_image(url, await self._admit(url, job, override))
            except ProductshotError as exc:
                _log.info("photo_skipped", url=url, reason=exc.reason)
                continue
            key = source_image_key(job.jobId, image.content_type)
            await self._files.put(key, image.body, image.content_type)
            return key
        return None
