"""A stored job as the API shows it: fresh presigned links, never internal fields."""

from __future__ import annotations

import asyncio

from services.api.presign import Presigner
from services.api.v1.responses import (
    CandidateOut,
    ErrorOut,
    FactInReviewOut,
    ImageOut,
    JobOut,
    LinksOut,
    OptionsOut,
    ProductOut,
    ReviewOut,
)
from services.common.fact_evidence import evidence_from_dict
from services.common.job import ImageRecord, Job
from services.common.job_states import STAGE, JobStatus
from services.common.product import Product

__all__ = ["job_out", "job_path", "review_path"]


def job_path(job_id: str) -> str:
    return f"/v1/jobs/{job_id}"


def review_path(job_id: str) -> str:
    return f"/v1/jobs/{job_id}/review"


def _review(job: Job) -> ReviewOut | None:
    if job.status != JobStatus.REVIEW:
        return None
    evidence = evidence_from_dict(job.evidence)
    product = job.product or {}
    facts = {}
    for name in job.reviewFacts:
        fact = evidence.get(name)
        value = product.get(name)
        facts[name] = FactInReviewOut(
            value=None if value is None else str(value),
            confidence=fact.confidence if fact else 0.0,
            source=fact.source if fact else "",
            candidates=[CandidateOut(**c.to_dict()) for c in fact.candidates] if fact else [],
        )
    return ReviewOut(facts=facts, answerUrl=review_path(job.jobId))


async def _image(image: ImageRecord, presigner: Presigner) -> ImageOut:
    url, expires = await presigner.url(image.bucket, image.key)
    return ImageOut(
        format=image.format,
        width=image.width,
        height=image.height,
        contentType=image.contentType,
        size=image.size,
        url=url,
        urlExpiresAt=expires,
    )


async def job_out(job: Job, presigner: Presigner) -> JobOut:
    images = await asyncio.gather(*(_image(i, presigner) for i in job.images)) if job.images else []
    product = ProductOut(**Product.from_dict(job.product).to_dict()) if job.product else None
    path = job_path(job.jobId)
    error = job.error or {}
    return JobOut(
        jobId=job.jobId,
        status=job.status,
        stage=STAGE[job.status],
        attempt=job.attempt,
        createdAt=job.createdAt,
        updatedAt=job.updatedAt,
        timestamps=dict(job.timestamps),
        productUrl=job.productUrl,
        product=product,
        confidence={name: round(f.confidence, 3) for name, f in evidence_from_dict(job.evidence).items()}
        if job.evidence is not None
        else None,
        hiddenFacts=list(job.hiddenFacts),
        review=_review(job),
        options=OptionsOut(
            formats=list(job.options.formats),
            output=job.options.output,
            style=job.options.style,
            overlay=dict(job.options.overlay),
            onUncertain=job.options.onUncertain,
            onFidelityFailure=job.options.onFidelityFailure,
        ),
        metadata=dict(job.metadata),
        images=list(images),
        qa=job.qa,
        error=ErrorOut(
            stage=str(error.get("stage", "")),
            reason=str(error.get("reason", "")),
            code=error.get("code"),
            traceId=job.traceId,
        )
        if job.error
        else None,
        links=LinksOut(
            self=path,
            retry=f"{path}/retry" if job.status == JobStatus.FAILED else None,
            review=review_path(job.jobId) if job.status == JobStatus.REVIEW else None,
        ),
    )
