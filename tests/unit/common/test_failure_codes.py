"""What a failed job tells its tenant and subscribers: a code from a closed set and a safe sentence."""

from __future__ import annotations

from typing import Any

import pytest

from services.common.errors import DependencyUnavailableError, RetriesExhaustedError
from services.common.events import DetailType
from services.common.extraction.errors import NoPriceError
from services.common.failure_codes import SENTENCES, FailureCode
from services.common.fetching.fetch_errors import (
    BlockedAddressError,
    FetchConnectionError,
    HostNotFoundError,
    HttpStatusError,
)
from services.common.job import Job
from services.common.job_failures import public_failure
from services.common.messages import scrape_request_body
from services.common.queue_message import QueueMessage
from services.renderer.generation.model_errors import ContentPolicyError, ImageModelRejectedError
from services.scraper.handler import ScrapeHandler
from tests.fakes import InMemoryJobFiles, InMemoryJobStore, RecordingPublisher

ACCESS_DENIED = (
    "An error occurred (AccessDeniedException) when calling the PutItem operation: User: "
    "arn:aws:sts::123456789012:assumed-role/productshot-scraper/abc is not authorized"
)


class RaisingFetcher:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    async def fetch_page(self, url: str, gate: object = None) -> Any:
        raise self.error

    async def fetch_image(self, url: str, gate: object = None) -> Any:
        raise self.error


async def _fail_with(error: BaseException) -> tuple[Job, dict[str, Any]]:
    job = Job.new(ttl_hours=1, productUrl="https://shop.example.com/p/1")
    store, publisher = InMemoryJobStore([job]), RecordingPublisher()
    handler = ScrapeHandler(store=store, publisher=publisher, fetcher=RaisingFetcher(error),  # type: ignore[arg-type]
                            files=InMemoryJobFiles(), worker_id="w1", lease_seconds=60)
    await handler.on_failure(QueueMessage("m1", "r1", scrape_request_body(job.jobId, 1), 1), error)
    failed = await store.get(job.jobId)
    assert failed is not None and publisher.events[-1][0] == DetailType.JOB_FAILED
    return failed, publisher.events[-1][1]


async def test_an_unexpected_exception_shows_internal_error_and_never_its_text() -> None:
    """A bare exception naming an account and role fails the job with internal_error and the fixed sentence."""
    job, detail = await _fail_with(RuntimeError(ACCESS_DENIED))
    sentence = SENTENCES[FailureCode.INTERNAL_ERROR]
    assert job.error == {"stage": "scrape", "reason": sentence, "code": "internal_error"}
    assert (detail["reason"], detail["code"]) == (sentence, "internal_error")
    assert "123456789012" not in str(detail) and "RuntimeError" not in str(job.error)


async def test_retries_exhausted_on_an_aws_error_keep_the_sdk_message_out() -> None:
    """An adapter error whose reason quotes the SDK, retried to the end, shows only the count and the sentence."""
    last = DependencyUnavailableError(f"job store unavailable (ClientError: {ACCESS_DENIED})")
    job, detail = await _fail_with(RetriesExhaustedError(5, last))
    assert job.error is not None and job.error["code"] == "internal_error"
    assert job.error["reason"] == f"gave up after 5 attempts: {SENTENCES[FailureCode.INTERNAL_ERROR]}"
    assert "123456789012" not in detail["reason"] and "ClientError" not in detail["reason"]


async def test_a_refused_private_address_and_an_unknown_host_read_the_same() -> None:
    """The answer for an internal address equals the one for a host that does not exist."""
    refused, _ = await _fail_with(BlockedAddressError("The address db.internal points inside a private network"))
    unknown, _ = await _fail_with(HostNotFoundError("The shop address nope.example does not exist"))
    broken, _ = await _fail_with(FetchConnectionError("Could not connect to the shop (ClientOSError)"))
    assert refused.error == unknown.error == broken.error
    assert refused.error is not None and refused.error["code"] == "page_unreachable"
    assert "private" not in refused.error["reason"] and "exist" not in refused.error["reason"]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ContentPolicyError("refused by the image model's content policy: org-abc123 request req_42"),
         FailureCode.IMAGE_MODEL_REFUSED),
        (ImageModelRejectedError("image model rejected the request (400): Invalid organization org-abc123"),
         FailureCode.IMAGE_MODEL_REJECTED),
    ],
)
def test_image_model_messages_are_replaced_by_the_codes_sentence(error: Exception, code: FailureCode) -> None:
    """The model's own message (organisation, request id) stays in the logs; the job shows a fixed sentence."""
    failure = public_failure(error)
    assert (failure.code, failure.reason) == (code, SENTENCES[code])
    assert "org-abc123" not in failure.reason


def test_our_own_page_reasons_are_shown_as_written_with_their_code() -> None:
    """Reasons we write for the shop owner (a 404, a missing price) stay as they are, with their code."""
    not_found = "The page answered 404 Not Found"
    assert public_failure(HttpStatusError(not_found, 404)).reason == not_found
    no_price = public_failure(NoPriceError("no price in the page HTML"))
    assert (no_price.code, no_price.reason) == (FailureCode.NO_PRICE, "no price in the page HTML")


def test_every_code_has_a_sentence_and_the_event_schema_lists_every_code() -> None:
    """The closed set is one table: every code has a sentence and JobFailed's schema enumerates them all."""
    import json

    from services.common.events import SCHEMAS_DIR

    schema = json.loads((SCHEMAS_DIR / "JobFailed" / "v1.json").read_text(encoding="utf-8"))
    assert set(SENTENCES) == set(FailureCode)
    assert schema["properties"]["code"]["enum"] == [code.value for code in FailureCode]
