"""The renderer re-reads an aged page's price before calling the model, on in-memory fakes."""

from __future__ import annotations

import io
import json

from PIL import Image

from services.common.events import DetailType
from services.common.fetching.fetch_errors import HttpStatusError
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.queue_message import QueueMessage
from services.renderer.generation.base import GeneratedImage, GenerationRequest
from services.renderer.handler import RenderHandler
from services.renderer.quality.price_recheck import PriceRechecker
from tests.fakes import InMemoryJobFiles, InMemoryJobStore, RecordingPublisher
from tests.unit.renderer.quality.test_price_recheck import AMBIGUOUS, JOB_ID, FakeFetcher, page, scraped_job


class CountingModel:
    name = "fake-model"

    def __init__(self) -> None:
        self.calls = 0

    async def generate(self, request: GenerationRequest) -> GeneratedImage:
        self.calls += 1
        buf = io.BytesIO()
        Image.new("RGB", (1024, 1024), (40, 90, 140)).save(buf, "PNG")
        return GeneratedImage(buf.getvalue(), self.name)

    async def aclose(self) -> None:
        return None


def _render(fetcher: FakeFetcher, *, policy: str = "hide"
            ) -> tuple[RenderHandler, Job, RecordingPublisher, CountingModel, InMemoryJobStore]:
    job = scraped_job(policy=policy)
    job.status = JobStatus.SCRAPED
    store, publisher, model = InMemoryJobStore([job]), RecordingPublisher(), CountingModel()
    handler = RenderHandler(store=store, publisher=publisher, generator=model, storage=InMemoryJobFiles("images"),
                            worker_id="w1", lease_seconds=60, quality_gate=False,
                            price_recheck=PriceRechecker(fetcher, after=0))  # type: ignore[arg-type]
    return handler, job, publisher, model, store


def _message(job: Job) -> QueueMessage:
    body = json.dumps({"detail-type": "ProductScraped", "detail": {"schemaVersion": 1, "jobId": job.jobId,
                                                                  "attempt": job.attempt}})
    return QueueMessage("m1", "r1", body, 1)


async def test_a_changed_price_is_printed_from_the_fresh_read_never_the_old_one() -> None:
    """The page asks 54.99 now: the job completes with 54.99 on the image, the job and the event."""
    handler, job, publisher, model, store = _render(FakeFetcher(page("54.99")))
    await handler.handle(_message(job))
    stored = store.jobs[JOB_ID]
    assert stored.status == JobStatus.COMPLETED and stored.product is not None
    assert stored.product["price"] == "54.99"
    assert stored.overlayText is not None and "54.99" in stored.overlayText and "49.99" not in stored.overlayText
    assert stored.qa is not None and stored.qa["priceRecheck"]["action"] == "reextracted"
    ((detail_type, detail, _),) = publisher.events  # validated against its schema by the fake
    assert detail_type == DetailType.IMAGE_GENERATED and detail["qa"]["priceRecheck"]["page"]["price"] == "54.99"
    assert model.calls == 1


async def test_an_unchanged_page_completes_with_the_recheck_in_the_report() -> None:
    """Same price on the page: the job completes as scraped and its qa says checked, unchanged."""
    handler, job, publisher, model, store = _render(FakeFetcher(page("49.99")))
    await handler.handle(_message(job))
    stored = store.jobs[JOB_ID]
    assert stored.status == JobStatus.COMPLETED and stored.qa is not None
    assert stored.qa["priceRecheck"]["status"] == "checked" and stored.qa["priceRecheck"]["outcome"] == "unchanged"
    assert stored.overlayText is not None and "49.99" in stored.overlayText


async def test_a_new_price_in_question_sends_the_job_to_review_before_any_model_call() -> None:
    """onUncertain=review and two prices on the page now: rendering -> review, ProductNeedsReview, no model call."""
    handler, job, publisher, model, store = _render(FakeFetcher(AMBIGUOUS), policy="review")
    await handler.handle(_message(job))
    stored = store.jobs[JOB_ID]
    assert stored.status == JobStatus.REVIEW and stored.reviewFacts == ["price"] and model.calls == 0
    assert [e[0] for e in publisher.events] == [DetailType.PRODUCT_NEEDS_REVIEW]
    assert stored.qa is not None and stored.qa["priceRecheck"]["action"] == "review"


async def test_a_page_gone_fails_the_job_with_product_gone_and_spends_nothing() -> None:
    """410 on the re-read: the job fails (product_gone) with its qa stored; the model is never called."""
    handler, job, publisher, model, store = _render(FakeFetcher(error=HttpStatusError("The page answered 410", 410)))
    try:
        await handler.handle(_message(job))
    except Exception as exc:  # noqa: BLE001 - what the consumer does with a permanent error
        assert getattr(exc, "permanent", False)
        await handler.on_failure(_message(job), exc)
    stored = store.jobs[JOB_ID]
    assert stored.status == JobStatus.FAILED and stored.error is not None
    assert stored.error["code"] == "product_gone" and model.calls == 0
    assert stored.qa is not None and stored.qa["priceRecheck"]["outcome"] == "gone"
    assert [e[0] for e in publisher.events] == [DetailType.JOB_FAILED]
