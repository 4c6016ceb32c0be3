"""What the scraper does with one scrape request.

Every request to a shop (the page, each product photo) goes through ``ShopPoliteness``:
robots.txt first, then the host's shared pace (docs/fetching.md). The entry point always
passes one; unit tests that are not about politeness leave it out.
"""

from __future__ import annotations

import time

from services.common.consumer import QueueMessage
from services.common.errors import (
    PermanentError,
    ProductshotError,
)
from services.common.events import DetailType, EventPublisher
from services.common.fact_policy import OnUncertain
from services.common.fetching.safe_fetch import RequestGate, SafeFetcher
from services.common.job import Job
from services.common.job_files import JobFiles, source_image_key
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger
from services.common.messages import JobRef, PolitenessOverride, parse_scrape_request
from services.common.page_facts import read_page_facts
from services.common.product import Product
from services.common.stage_events import publish_product_needs_review, publish_product_scraped
from services.common.stage_handler import StageHandler
from services.scraper.shop_politeness import ShopPoliteness

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
        facts = await read_page_facts(self._fetcher, job.productUrl, OnUncertain(job.options.onUncertain),
                                      job_id=job.jobId, gate=gate)
        decision, kept = facts.decision, facts.kept
        source_key = await self._store_photo(job, facts.product, ref.politeness)
        # In review the job keeps the facts as scraped: the person's answer is merged onto them.
        fields = facts.job_fields()
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
