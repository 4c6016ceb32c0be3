"""Response bodies of /v1 as pydantic models: built through them, so the OpenAPI document
(generated from the same models) is what the API really sends."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.common.job_states import JobStatus

__all__ = [
    "JobOut",
    "JobList",
    "ImageOut",
    "ProductOut",
    "OptionsOut",
    "ErrorOut",
    "LinksOut",
    "CandidateOut",
    "FactInReviewOut",
    "ReviewOut",
    "ProblemOut",
    "FieldErrorOut",
    "ReadinessOut",
    "HealthOut",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ImageOut(_Out):
    """One generated image; ``url`` is a presigned link minted for this response only."""

    format: str = Field(examples=["square"])
    width: int
    height: int
    contentType: str = Field(examples=["image/jpeg"])
    size: int = Field(description="Bytes.")
    url: str = Field(description="Short-lived presigned GET URL; fetch the job again for a fresh one.")
    urlExpiresAt: str = Field(description="When ``url`` stops working (ISO 8601 UTC).")


class ProductOut(_Out):
    """The product facts the image was made from (scraped, or as you gave them)."""

    name: str | None = None
    price: str | None = None
    currency: str | None = None
    regularPrice: str | None = None
    offer: str | None = None
    availability: str | None = None
    brand: str | None = None
    sku: str | None = None
    gtin: str | None = None
    description: str | None = None
    images: list[str] = Field(default_factory=list)
    language: str | None = None
    url: str | None = None


class OptionsOut(_Out):
    formats: list[str]
    output: str
    style: str
    overlay: dict[str, Any] = Field(default_factory=dict)
    onUncertain: str = Field(description="review, hide or fail: what happens to an uncertain printed fact.")
    onFidelityFailure: str = Field(default="composite", description="composite or fail (the quality gate).")


class CandidateOut(_Out):
    """One value the page offered for a fact."""

    value: str = Field(examples=["49.99"])
    source: str = Field(description="Where it was read: jsonld, microdata, rdfa, meta, embedded:<kind>, dom ...")
    path: str = Field(description="Where in the page (a JSON path or CSS-like selector); may be empty.")
    context: str = Field(description="The text around it on the page (at most 200 characters).")
    confidence: float = Field(ge=0, le=1)


class FactInReviewOut(_Out):
    """A fact in question: the value the scraper chose, how sure it is, and the alternatives."""

    value: str | None = Field(description="The value as scraped (not printed unless accepted).")
    confidence: float = Field(ge=0, le=1)
    source: str
    candidates: list[CandidateOut]


class ReviewOut(_Out):
    """What a person is asked about while the job is in ``review``."""

    facts: dict[str, FactInReviewOut] = Field(description="Each fact in question, by name, in print order.")
    answerUrl: str = Field(description="POST the answer here: accept, correct (product) or hide each fact.")


class ErrorOut(_Out):
    stage: str = Field(description="Where it failed: queued, scrape, review or render.")
    reason: str = Field(description="What went wrong, for a person to read (never internal detail).")
    code: str | None = Field(
        default=None,
        description="Why, from a closed set a client may branch on (page_unreachable, no_product, "
        "image_model_refused, internal_error, ...; see the API guide). Absent for jobs failed before codes.",
    )
    traceId: str = Field(description="Quote it when asking for help: our logs of the job carry it.")


class LinksOut(_Out):
    self: str
    retry: str | None = Field(default=None, description="Present when the job failed and can be retried.")
    review: str | None = Field(default=None, description="Present while the job waits for a person's review.")


class JobOut(_Out):
    jobId: str
    status: JobStatus
    stage: str = Field(description="queued, scrape, review, render or done.")
    attempt: int = Field(ge=1)
    createdAt: str
    updatedAt: str
    timestamps: dict[str, str] = Field(description="When the job entered each status (this attempt).")
    productUrl: str | None
    product: ProductOut | None
    confidence: dict[str, float] | None = Field(
        default=None,
        description="For a scraped product: how sure the scraper is (0 to 1) of each field it found, "
        "1 for facts a person confirmed; null when you gave the facts.",
    )
    hiddenFacts: list[str] = Field(
        default_factory=list, description="Uncertain facts left off the image (onUncertain: hide, or a review)."
    )
    review: ReviewOut | None = Field(default=None, description="Present while the job is in review.")
    options: OptionsOut
    metadata: dict[str, Any]
    images: list[ImageOut]
    qa: dict[str, Any] | None = Field(
        default=None,
        description="The quality gate's report (text read back, product fidelity): each check, its score, "
        "threshold, pass/fail and the action taken. Null until the renderer has checked the images.",
    )
    error: ErrorOut | None
    links: LinksOut


class JobList(_Out):
    items: list[JobOut]
    nextCursor: str | None = Field(description="Pass as ``cursor`` for the next page; null on the last page.")


class FieldErrorOut(BaseModel):
    field: str = Field(
        description="Dotted path of the offending field, e.g. product.price; 'body' for the whole."
    )
    message: str
    code: str


class ProblemOut(BaseModel):
    """RFC 9457 problem details (``application/problem+json``)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldErrorOut] | None = None


class HealthOut(_Out):
    status: Literal["ok"]


class ReadinessOut(_Out):
    status: Literal["ready"]
    checks: dict[str, str]
