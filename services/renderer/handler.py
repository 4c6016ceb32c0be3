"""What the renderer does with one ProductScraped event."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from services.common.consumer import QueueMessage
from services.common.events import DetailType, EventPublisher
from services.common.job import ImageRecord, Job
from services.common.job_files import JobFiles, background_key, image_content_type, variant_key
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger
from services.common.messages import JobRef, parse_product_scraped
from services.common.metrics import Metric, emit
from services.common.product import Product
from services.common.stage_events import publish_image_generated, publish_product_needs_review
from services.common.stage_handler import StageHandler
from services.common.tracing import TRACEPARENT, span
from services.renderer.formats import FORMATS, OUTPUTS
from services.renderer.generation.base import GeneratedImage, GenerationRequest, ImageGenerator
from services.renderer.overlay import OverlayOptions, TextLayer, lay_out_text
from services.renderer.quality.errors import QualityGateError
from services.renderer.quality.price_recheck import PriceRecheck, PriceRechecker
from services.renderer.quality.report import QAReport, cached_scene_report, failure_reason, qa_document
from services.renderer.quality.scene_gate import SceneFidelityError, SceneVerdict, gate_scene
from services.renderer.quality.text_gate import render_checked

__all__ = ["RenderHandler"]

_log = get_logger(__name__)
_MODEL_SIZE = {"square": "1024x1024", "landscape": "1536x1024", "story": "1024x1536"}


def _lay_out(product: Product, formats: list[str], options: OverlayOptions) -> dict[str, TextLayer]:
    return {fmt: lay_out_text(product, format=fmt, options=options) for fmt in formats}


class RenderHandler(StageHandler):
    working, done, event = JobStatus.RENDERING, JobStatus.COMPLETED, DetailType.IMAGE_GENERATED
    # The price recheck found the page's new price in question under onUncertain=review.
    also_done = {JobStatus.REVIEW: DetailType.PRODUCT_NEEDS_REVIEW}
    too_early = frozenset({JobStatus.PENDING, JobStatus.SCRAPING})
    stage, service = "render", "renderer"

    def __init__(self, *, store: JobStore, publisher: EventPublisher, generator: ImageGenerator,
                 storage: JobFiles, worker_id: str, lease_seconds: float, quality_gate: bool = True,
                 price_recheck: PriceRechecker | None = None) -> None:
        super().__init__(store=store, publisher=publisher, worker_id=worker_id, lease_seconds=lease_seconds)
        self._generator = generator
        self._storage = storage
        self._gate = quality_gate
        self._recheck = price_recheck or PriceRechecker(None, after=None)

    def parse(self, message: QueueMessage) -> JobRef:
        return parse_product_scraped(message.json())

    def trace_carrier(self, message: QueueMessage) -> dict[str, str]:
        # EventBridge delivers no message attributes: the event's detail carries the header.
        parent = message.json().get("detail", {}).get("traceParent")
        return {TRACEPARENT: parent} if isinstance(parent, str) else {}

    async def publish(self, job: Job) -> None:
        if job.status == JobStatus.REVIEW:
            await publish_product_needs_review(self._publisher, job)
        else:
            await publish_image_generated(self._publisher, job)

    async def work(self, job: Job, ref: JobRef) -> Job:
        clock = _Clock()
        # Before the model is called: no money is spent painting a price the page no longer shows.
        recheck = await self._recheck_price(job)
        if recheck.facts is not None and recheck.facts.decision.review:
            return await self.advance(ref, {**recheck.facts.job_fields(), "qa": qa_document([], recheck.to_dict())},
                                      to=JobStatus.REVIEW)
        product = Product.from_dict(job.product or {})
        formats = [fmt for fmt in job.options.formats or ["square"] if fmt in FORMATS]
        # The text depends on the product and the formats only: it is laid out on a thread
        # while the model paints the scene, and only the pixel work is left for after.
        layers = asyncio.ensure_future(
            asyncio.to_thread(_lay_out, product, formats, overlay_options(job.options.overlay)))
        try:
            background, model, caching, scene_report = await self._background(job, product)
        except BaseException:
            await asyncio.gather(layers, return_exceptions=True)  # never leave the thread's result unobserved
            raise
        generate_ms = clock.lap()
        try:
            images, overlay_text, reports = await self._variants(job, product, background, await layers)
            variants_ms = clock.lap()
        finally:
            if caching is not None:
                await caching  # the cache must be durable before the job leaves this worker
        cache_wait_ms = clock.lap()
        qa = await self._gate_images(job, [scene_report, *reports], recheck)
        job = await self.advance(ref, {"images": [i.to_dict() for i in images], "overlayText": overlay_text,
                                       "model": model, "qa": qa})
        _log.info("image_generated", model=model, variants=len(images), generate_ms=generate_ms,
                  variants_ms=variants_ms, cache_wait_ms=cache_wait_ms, advance_ms=clock.lap(),
                  total_ms=clock.total())
        return job

    async def _recheck_price(self, job: Job) -> PriceRecheck:
        """The price against the page; when it changed, ``job`` carries the fresh read's facts
        (stored at once, so the job shows what will be printed) unless they go to review."""
        started = time.perf_counter()
        recheck = await self._recheck.check(job)
        emit(Metric.PRICE_RECHECKS, 1, properties={"jobId": job.jobId}, outcome=recheck.outcome.value)
        _log.info("price_recheck", ms=round((time.perf_counter() - started) * 1000), **recheck.to_dict())
        if recheck.error is not None:
            await self._store.set_fields(job.jobId, {"qa": qa_document([], recheck.to_dict())})
            raise recheck.error
        if recheck.facts is not None and not recheck.facts.decision.review:
            fields = recheck.facts.job_fields()
            await self._store.set_fields(job.jobId, fields)
            job.product, job.evidence = fields["product"], fields["evidence"]
            job.hiddenFacts, job.reviewFacts = fields["hiddenFacts"], fields["reviewFacts"]
        return recheck

    async def _gate_images(self, job: Job, reports: list[QAReport], recheck: PriceRecheck) -> dict[str, Any]:
        """The job's QA report; a variant whose text did not read back fails the job (stored report first)."""
        qa = qa_document(reports, recheck.to_dict())
        # One line per job with every check's verdict and each subject's action: what a
        # metric filter counts for the pass rate of each check.
        _log.info("quality_gate", passed=qa["passed"], actions={r.subject: r.action for r in reports},
                  checks={f"{r.subject}:{c.check}": c.passed for r in reports for c in r.checks})
        failed = [r for r in reports if not r.passed]
        if failed:
            await self._store.set_fields(job.jobId, {"qa": qa})
            raise QualityGateError(failure_reason(failed))
        return qa

    async def _variants(self, job: Job, product: Product, background: bytes,
                        layers: dict[str, TextLayer]) -> tuple[list[ImageRecord], str, list[QAReport]]:
        output = job.options.output if job.options.output in OUTPUTS else "jpeg"
        images: list[ImageRecord] = []
        reports: list[QAReport] = []
        overlay_text = ""
        for fmt, layer in layers.items():
            # Rendered, read back (re-laid if need be) and encoded on a worker thread.
            with span("overlay", {"productshot.format": fmt, "productshot.output": output}):
                checked = await asyncio.to_thread(render_checked, background, product, layer, output,
                                                  read=self._gate)
            data, overlay_text, width, height = checked.data, checked.overlay_text, checked.width, checked.height
            reports.append(checked.report)
            if not checked.report.passed:
                continue  # never stored: it would be published by nobody, but served by a stale link
            spec = OUTPUTS[output]
            key = variant_key(job.jobId, fmt, spec.extension)
            await self._storage.put(key, data, spec.content_type)
            images.append(ImageRecord(format=fmt, key=key, bucket=self._storage.bucket, contentType=spec.content_type,
                                      width=width, height=height, size=len(data), output=output))
        return images, overlay_text, reports

    async def _background(self, job: Job, product: Product
                          ) -> tuple[bytes, str, asyncio.Future[Any] | None, QAReport]:
        """The model's scene for this attempt, generated (and gated) at most once (kept in S3).

        Returns the scene, the model's name, after a generation the writes that cache
        it (they run while the overlay is drawn, and are awaited before the job advances),
        and the scene's QA report.
        """
        key = background_key(job.jobId, job.attempt)
        # The cache probe and the product photo are independent reads: one round trip, not two.
        cached, photo = await asyncio.gather(
            self._storage.get(key),
            self._storage.get(job.sourceImageKey) if job.sourceImageKey else _none())
        if cached is not None:
            return cached, job.model or "cached", None, cached_scene_report(job.qa)
        first = (job.options.formats or ["square"])[0]
        request = GenerationRequest(
            product=product, style=job.options.style, size=_MODEL_SIZE.get(first, "1024x1024"), photo=photo,
            job_id=job.jobId)
        started = time.perf_counter()
        try:
            with span("model.generate", {"productshot.model": self._generator.name}):
                generated: GeneratedImage = await self._generator.generate(request)
        except Exception:
            _model_latency(started, self._generator.name, "error", job.jobId)
            raise
        _model_latency(started, generated.model, "ok", job.jobId)
        if not self._gate:
            verdict = SceneVerdict(generated, QAReport("scene", action="skipped"))
        else:
            verdict = await self._gate_scene(job, request, generated)
        generated = verdict.image
        caching = asyncio.gather(self._storage.put(key, generated.data, image_content_type(generated.data)),
                                 self._store.set_fields(job.jobId, {"model": generated.model,
                                                                    "qa": qa_document([verdict.report])}))
        return generated.data, generated.model, caching, verdict.report

    async def _gate_scene(self, job: Job, request: GenerationRequest, generated: GeneratedImage) -> SceneVerdict:
        try:
            return await gate_scene(self._generator, request, generated, on_failure=job.options.onFidelityFailure)
        except SceneFidelityError as exc:
            await self._store.set_fields(job.jobId, {"qa": qa_document([exc.report])})
            raise

class _Clock:
    """Milliseconds per step of a render, for the log line that closes it."""

    def __init__(self) -> None:
        self._start = self._last = time.perf_counter()

    def lap(self) -> int:
        now = time.perf_counter()
        ms, self._last = round((now - self._last) * 1000), now
        return ms

    def total(self) -> int:
        return round((time.perf_counter() - self._start) * 1000)


def _model_latency(started: float, model: str, outcome: str, job_id: str) -> None:
    emit(Metric.MODEL_LATENCY, (time.perf_counter() - started) * 1000, properties={"jobId": job_id},
         model=model, outcome=outcome)


async def _none() -> None:
    return None


def overlay_options(overlay: dict[str, object]) -> OverlayOptions:
    """The API's ``overlay`` object (``{"name": {"hide": true}, "price": {"text": ...}}`` or flat) as options."""
    kwargs: dict[str, object] = {}
    for part in ("name", "price", "offer", "brand"):
        value = overlay.get(part)
        if isinstance(value, dict):
            if value.get("hide"):
                kwargs[f"show_{part}"] = False
            if isinstance(value.get("text"), str):
                kwargs[part] = value["text"]
        elif isinstance(value, str):
            kwargs[part] = value
        elif value is False:
            kwargs[f"show_{part}"] = False
    return OverlayOptions(**kwargs)  # type: ignore[arg-type]
