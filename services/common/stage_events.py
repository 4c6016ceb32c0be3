"""The payloads of the events a stage publishes when it is done, built from the job.

Shared by the stage that normally publishes them and by whoever must publish them again
(the API for a caller-given product, the sweeper re-driving a stuck job).
"""

from __future__ import annotations

from services.common.events import DetailType, EventPublisher, build_detail, source_for
from services.common.fact_evidence import evidence_from_dict
from services.common.job import Job
from services.common.product import Product

__all__ = ["publish_product_scraped", "publish_product_needs_review", "publish_image_generated"]


async def publish_product_scraped(publisher: EventPublisher, job: Job, service: str = "scraper") -> None:
    # Every Product field, whoever stored the facts (the API stores only what the caller gave).
    product = Product.from_dict(job.product or {}).to_dict()
    payload = {"product": product, "sourceImageKey": job.sourceImageKey,
               "options": {"formats": job.options.formats, "output": job.options.output, "style": job.options.style}}
    detail = build_detail(DetailType.PRODUCT_SCRAPED, job, payload)
    await publisher.publish(DetailType.PRODUCT_SCRAPED, detail, source=source_for(DetailType.PRODUCT_SCRAPED))


async def publish_product_needs_review(publisher: EventPublisher, job: Job) -> None:
    """The job waits in review: the facts in question with their evidence, and where to answer."""
    evidence = evidence_from_dict(job.evidence)
    facts = {name: evidence[name].to_dict() for name in job.reviewFacts if name in evidence}
    payload = {"product": Product.from_dict(job.product or {}).to_dict(), "reviewFacts": list(job.reviewFacts),
               "facts": facts, "reviewPath": f"/v1/jobs/{job.jobId}/review"}
    detail = build_detail(DetailType.PRODUCT_NEEDS_REVIEW, job, payload)
    await publisher.publish(DetailType.PRODUCT_NEEDS_REVIEW, detail, source=source_for(DetailType.PRODUCT_NEEDS_REVIEW))


async def publish_image_generated(publisher: EventPublisher, job: Job) -> None:
    payload: dict[str, object] = {"images": [i.to_dict() for i in job.images],
               "model": job.model or "unknown", "overlayText": job.overlayText}
    if job.qa is not None:
        payload["qa"] = job.qa  # the quality gate's report; optional in the v1 schema
    detail = build_detail(DetailType.IMAGE_GENERATED, job, payload)
    await publisher.publish(DetailType.IMAGE_GENERATED, detail, source=source_for(DetailType.IMAGE_GENERATED))
