"""What the scraper does with one scrape request."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import structlog

from services.common.consumer import QueueMessage
from services.common.errors import JobTransitionConflictError, PermanentError, ProductshotError, TransientError
from services.common.events import DetailType, EventPublisher, build_detail, source_for
from services.common.job import Job
from services.common.job_failures import fail_job
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger
from services.common.messages import JobRef, parse_scrape_request
from services.common.product import Product
from services.scraper.extraction import extract_product
from services.scraper.safe_fetch import SafeFetcher

__all__ = ["ScrapeHandler", "publish_product_scraped"]

_log = get_logger(__name__)
_IMAGE_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif", "image/avif": "avif"}


async def publish_product_scraped(publisher: EventPublisher, job: Job, service: str = "scraper") -> None:
    payload = {"product": job.product or {}, "sourceImageKey": job.sourceImageKey,
               "options": {"formats": job.options.formats, "output": job.options.output, "style": job.options.style}}
    detail = build_detail(DetailType.PRODUCT_SCRAPED, job, payload)
    await publisher.publish(DetailType.PRODUCT_SCRAPED, detail, source=source_for(DetailType.PRODUCT_SCRAPED))


class ScrapeHandler:
    def __init__(self, *, store: JobStore, publisher: EventPublisher, fetcher: SafeFetcher, s3: Any,
                 bucket: str, worker_id: str, lease_seconds: float, max_source_images: int = 3) -> None:
        self._store = store
        self._publisher = publisher
        self._fetcher = fetcher
        self._s3 = s3
        self._bucket = bucket
        self._worker_id = worker_id
        self._lease = lease_seconds
        self._max_images = max_source_images

    async def handle(self, message: QueueMessage) -> None:
        ref = parse_scrape_request(message.json())
        structlog.contextvars.bind_contextvars(jobId=ref.job_id, attempt=ref.attempt)
        job = await self._claim(ref)
        if job is None:
            return

        async def extend() -> None:
            await self._store.extend_lease(ref.job_id, owner=self._worker_id, lease_seconds=self._lease)

        message.heartbeat_callbacks.append(extend)
        try:
            await self._work(job, ref)
        except BaseException:
            # Whatever went wrong, let the retry (on any worker) claim the job at once.
            await asyncio.shield(self._store.release_lease(ref.job_id, owner=self._worker_id))
            raise

    async def _work(self, job: Job, ref: JobRef) -> None:
        if not job.productUrl:
            raise PermanentError("the job has no product URL to scrape")
        started = time.perf_counter()
        page = await self._fetcher.fetch_page(job.productUrl)
        product = await asyncio.to_thread(
            # The fetcher decoded the page with its HTTP charset, which the HTML alone may not declare.
            extract_product, page.text, page.final_url, content_language=page.headers.get("content-language")
        )
        product.url = page.final_url
        source_key = await self._store_photo(job, product)
        fields: dict[str, Any] = {"product": product.to_dict(), "pendingEvent": DetailType.PRODUCT_SCRAPED.value}
        if source_key:
            fields["sourceImageKey"] = source_key
        # pendingEvent is an outbox mark: set with the state, cleared once the event left.
        job = await self._store.advance(ref.job_id, attempt=ref.attempt, to=JobStatus.SCRAPED,
                                        owner=self._worker_id, fields=fields)
        _log.info("product_scraped", name=product.name, price=product.price, currency=product.currency,
                  photo=bool(source_key), ms=round((time.perf_counter() - started) * 1000))
        await self._publish(job)

    async def _publish(self, job: Job) -> None:
        await publish_product_scraped(self._publisher, job)
        try:
            await self._store.clear_pending_event(job.jobId, DetailType.PRODUCT_SCRAPED.value)
        except Exception:  # noqa: BLE001 - a duplicate then re-publishes the same event id: harmless
            _log.warning("pending_event_not_cleared", exc_info=True)

    async def _claim(self, ref: JobRef) -> Job | None:
        try:
            return await self._store.claim(ref.job_id, attempt=ref.attempt, to=JobStatus.SCRAPING,
                                           owner=self._worker_id, lease_seconds=self._lease)
        except JobTransitionConflictError as conflict:
            job: Job = conflict.job  # type: ignore[attr-defined]
        if job.attempt != ref.attempt:
            _log.info("stale_message", current_attempt=job.attempt)
            return None
        if job.status == JobStatus.SCRAPED:
            # Scraped earlier; if that worker died before the event left, publish it now (same event id).
            if await self._store.pending_event(job.jobId) == DetailType.PRODUCT_SCRAPED.value:
                await self._publish(job)
            else:
                _log.info("duplicate_message", status=job.status.value)
            return None
        if job.status == JobStatus.SCRAPING:
            remaining = max(1.0, (job.leaseExpiresAt or 0) - time.time())
            raise TransientError("another worker is scraping this job", retry_after=remaining)
        _log.info("duplicate_message", status=job.status.value)
        return None

    async def _store_photo(self, job: Job, product: Product) -> str | None:
        """Fetch the best product photo (same safe fetcher) and keep it for the renderer."""
        for url in product.images[: self._max_images]:
            try:
                image = await self._fetcher.fetch_image(url)
            except ProductshotError as exc:
                _log.info("photo_skipped", url=url, reason=exc.reason)
                continue
            ext = _IMAGE_EXT.get(image.content_type, "img")
            key = f"jobs/{job.jobId}/source.{ext}"
            await self._s3.put_object(Bucket=self._bucket, Key=key, Body=image.body, ContentType=image.content_type,
                                      ServerSideEncryption="AES256")
            return key
        return None

    async def on_failure(self, message: QueueMessage, error: Exception) -> None:
        ref = parse_scrape_request(message.json())
        reason = error.reason if isinstance(error, ProductshotError) else str(error)
        await fail_job(self._store, self._publisher, job_id=ref.job_id, attempt=ref.attempt, stage="scrape",
                       reason=reason, service="scraper")
