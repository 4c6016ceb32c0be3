"""A person's answer for a job in ``review``: merged onto the scraped product, then rendering resumes.

The answer moves the job ``review`` -> ``scraped`` in one conditional write that also records
a digest of the answer and the outbox mark for ProductScraped; the event is published after
it (with the same deterministic id the scraper would have used). A repeated identical answer
finds its own digest on the job and only re-publishes the event if it has not left yet; a
different answer, or any answer for a job that is not in review, is a conflict.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from jsonschema import ValidationError

from services.api.v1.requests import ReviewAnswer
from services.common.errors import JobTransitionConflictError, ProductshotError
from services.common.events import DetailType, EventPublisher
from services.common.fact_evidence import FactEvidence, evidence_from_dict, evidence_to_dict
from services.common.fact_policy import hide_facts
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import get_logger
from services.common.product import Product
from services.common.stage_events import publish_product_scraped

__all__ = ["ReviewDesk", "ReviewConflictError", "ReviewIncompleteError", "ReviewHandoffError"]

_log = get_logger(__name__)
_RESUMES = DetailType.PRODUCT_SCRAPED
# Read beside the price: once a person replaces the price, these no longer go with it.
_PRICED = ("regularPrice", "offer")


class ReviewConflictError(ProductshotError):
    """The job is not in review (or was answered differently); ``status`` says where it is."""

    def __init__(self, status: str, *, answered: bool) -> None:
        if answered:
            reason = f"this job's review was already answered with other facts; the job is {status}"
        else:
            reason = f"only a job in review takes an answer; this one is {status}"
        super().__init__(reason)
        self.status = status


class ReviewIncompleteError(ProductshotError):
    """The answer leaves facts in question unanswered."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            f"answer every fact in review ({', '.join(missing)}): accept it, correct it under product, or hide it"
        )
        self.missing = missing


class ReviewHandoffError(ProductshotError):
    """The answer is recorded but rendering could not be started yet; the same answer again retries."""


class ReviewDesk:
    def __init__(self, *, store: JobStore, publisher: EventPublisher, handoff_timeout: float = 5.0) -> None:
        self._store = store
        self._publisher = publisher
        self._timeout = handoff_timeout

    async def answer(self, job: Job, answer: ReviewAnswer, digest: str) -> Job:
        """The job after ``answer`` (``digest``: the answer's hash, for recognising a repeat)."""
        record = {"attempt": job.attempt, "digest": digest}
        if job.status != JobStatus.REVIEW:
            return await self._repeat(job, record)
        corrected = answer.corrected()
        named = {*answer.accept, *answer.hide, *corrected}
        missing = [name for name in job.reviewFacts if name not in named]
        if missing:
            raise ReviewIncompleteError(missing)
        product, hidden = _answered_product(Product.from_dict(job.product or {}), answer, corrected)
        evidence = evidence_from_dict(job.evidence)
        for name in [*answer.accept, *corrected]:
            prior = evidence.get(name)
            # A fact a person confirmed or typed in is certain; the page's candidates stay as the record.
            evidence[name] = FactEvidence(confidence=1.0, source="review", candidates=prior.candidates if prior else [])
        fields: dict[str, Any] = {
            "product": product.to_dict(),
            "evidence": evidence_to_dict(evidence),
            "hiddenFacts": list(dict.fromkeys([*job.hiddenFacts, *hidden])),
            "reviewAnswer": record,
            "pendingEvent": _RESUMES.value,
        }
        try:
            job = await self._store.advance(job.jobId, attempt=job.attempt, to=JobStatus.SCRAPED, owner=None,
                                            fields=fields, from_=JobStatus.REVIEW)
        except JobTransitionConflictError as conflict:
            current: Job = conflict.job  # type: ignore[attr-defined]
            return await self._repeat(current, record)  # a concurrent request answered first
        _log.info("review_answered", jobId=job.jobId, accepted=list(answer.accept), corrected=sorted(corrected),
                  hidden=hidden)
        await self._resume(job)
        return job

    async def _repeat(self, job: Job, record: dict[str, Any]) -> Job:
        if job.reviewAnswer != record:
            answered = bool(job.reviewAnswer) and (job.reviewAnswer or {}).get("attempt") == job.attempt
            raise ReviewConflictError(job.status.value, answered=answered)
        if await self._store.pending_event(job.jobId) == _RESUMES.value:
            await self._resume(job)
        return job

    async def _resume(self, job: Job) -> None:
        try:
            # Source productshot.scraper, as for every ProductScraped: the render rule matches it.
            await asyncio.wait_for(publish_product_scraped(self._publisher, job, service="api"), self._timeout)
        except (ProductshotError, ValidationError, TimeoutError) as exc:
            _log.error("review_handoff_failed", jobId=job.jobId, error=str(exc))
            raise ReviewHandoffError(
                "the answer is recorded but rendering could not be started; send the same answer again"
            ) from exc
        try:
            await self._store.clear_pending_event(job.jobId, _RESUMES.value)
        except Exception:  # noqa: BLE001 - a repeat then re-publishes the same event id: harmless
            _log.warning("pending_event_not_cleared", exc_info=True)


def _answered_product(scraped: Product, answer: ReviewAnswer, corrected: dict[str, Any]) -> tuple[Product, list[str]]:
    """The product with the answer merged in, and the facts it leaves off the image."""
    product = replace(scraped, **corrected)
    hidden = list(answer.hide)
    if "price" in corrected and corrected["price"] != scraped.price:
        kept = {*corrected, *answer.accept}
        hidden += [n for n in _PRICED if getattr(scraped, n) is not None and n not in kept]
    return hide_facts(product, hidden), hidden
