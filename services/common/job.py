"""The job record, as stored in DynamoDB and passed between the services' code."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from services.common.fact_policy import DEFAULT_ON_UNCERTAIN, OnUncertain
from services.common.job_states import JobStatus
from services.common.tracing import current_trace_id

__all__ = ["Job", "ImageRecord", "JobOptions", "utc_now_iso", "epoch_seconds", "new_job_id"]


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_at(epoch: float) -> str:
    """``epoch`` (seconds) in the same ISO 8601 UTC form as ``utc_now_iso`` (comparable as text)."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def epoch_seconds(iso: str) -> int:
    """Whole Unix epoch seconds of an ISO 8601 timestamp (a naive one is taken as UTC)."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def new_job_id() -> str:
    return str(uuid.uuid4())


@dataclass(slots=True)
class JobOptions:
    """What the caller asked for (the seed API takes the defaults)."""

    formats: list[str] = field(default_factory=lambda: ["square"])
    output: str = "jpeg"
    style: str = "studio"
    overlay: dict[str, Any] = field(default_factory=dict)
    #: What to do when a printed fact is uncertain (services/common/fact_policy.py).
    onUncertain: str = DEFAULT_ON_UNCERTAIN.value
    # When the model's scene still misses the product after one retry: "composite" the real
    # photo onto the scene, or "fail" the job (the quality gate, docs/rendering.md).
    onFidelityFailure: str = "composite"

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> JobOptions:
        data = data or {}
        return cls(
            formats=list(data.get("formats") or ["square"]),
            output=str(data.get("output") or "jpeg"),
            style=str(data.get("style") or "studio"),
            overlay=dict(data.get("overlay") or {}),
            # Jobs stored before the option existed were printed as scraped: they get the default now.
            onUncertain=OnUncertain(data.get("onUncertain") or DEFAULT_ON_UNCERTAIN).value,
            onFidelityFailure=str(data.get("onFidelityFailure") or "composite"),
        )


@dataclass(slots=True)
class ImageRecord:
    """One stored image variant of a job (never a presigned URL: those are minted on read)."""

    format: str
    key: str
    bucket: str
    contentType: str
    width: int
    height: int
    size: int
    output: str

    def to_dict(self) -> dict[str, Any]:
        """The stored (and published) form: bucket and key, never a presigned URL."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImageRecord:
        return cls(
            format=str(data["format"]),
            key=str(data["key"]),
            bucket=str(data["bucket"]),
            contentType=str(data["contentType"]),
            width=int(data["width"]),
            height=int(data["height"]),
            size=int(data["size"]),
            output=str(data.get("output", "jpeg")),
        )


@dataclass(slots=True)
class Job:
    jobId: str
    status: JobStatus
    tenant: str = "default"
    productUrl: str | None = None
    attempt: int = 1
    options: JobOptions = field(default_factory=JobOptions)
    metadata: dict[str, Any] = field(default_factory=dict)
    product: dict[str, Any] | None = None
    sourceImageKey: str | None = None
    images: list[ImageRecord] = field(default_factory=list)
    overlayText: str | None = None
    model: str | None = None
    qa: dict[str, Any] | None = None  # the quality gate's report of this attempt (services/renderer/quality)
    error: dict[str, str] | None = None  # {"stage": ..., "reason": ...}
    evidence: dict[str, Any] | None = None  # fact_evidence.evidence_to_dict of the scraped product
    hiddenFacts: list[str] = field(default_factory=list)  # uncertain facts left out of the image
    reviewFacts: list[str] = field(default_factory=list)  # uncertain facts a person is asked about
    reviewAnswer: dict[str, Any] | None = None  # {"attempt": n, "digest": sha256 of the answer}
    # The id of the trace the job was created in (the API request's), so logs, events and the
    # trace share one id; a random one when tracing is off.
    traceId: str = field(default_factory=lambda: current_trace_id() or uuid.uuid4().hex)
    createdAt: str = field(default_factory=utc_now_iso)
    updatedAt: str = field(default_factory=utc_now_iso)
    timestamps: dict[str, str] = field(default_factory=dict)  # status -> when it was entered
    expiresAt: int = 0  # epoch seconds, DynamoDB TTL
    leaseOwner: str | None = None
    leaseExpiresAt: float | None = None
    batchId: str | None = None  # the batch this job runs for (services/common/batch.py); None for a single job

    @classmethod
    def new(
        cls,
        *,
        ttl_hours: int,
        status: JobStatus = JobStatus.PENDING,
        **kwargs: Any,
    ) -> Job:
        job = cls(jobId=kwargs.pop("jobId", None) or new_job_id(), status=status, **kwargs)
        now = datetime.now(UTC)
        job.expiresAt = int((now + timedelta(hours=ttl_hours)).timestamp())
        job.timestamps = {status.value: job.createdAt}
        return job

    def to_item(self) -> dict[str, Any]:
        """The plain-dict form stored in DynamoDB (None values dropped)."""
        data = asdict(self)
        data["status"] = self.status.value
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Job:
        return cls(
            jobId=str(item["jobId"]),
            status=JobStatus(item["status"]),
            tenant=str(item.get("tenant", "default")),
            productUrl=item.get("productUrl"),
            attempt=int(item.get("attempt", 1)),
            options=JobOptions.from_dict(item.get("options")),
            metadata=dict(item.get("metadata") or {}),
            product=item.get("product"),
            sourceImageKey=item.get("sourceImageKey"),
            images=[ImageRecord.from_dict(i) for i in item.get("images") or []],
            overlayText=item.get("overlayText"),
            model=item.get("model"),
            qa=item.get("qa"),
            error=item.get("error"),
            evidence=item.get("evidence"),
            hiddenFacts=[str(f) for f in item.get("hiddenFacts") or []],
            reviewFacts=[str(f) for f in item.get("reviewFacts") or []],
            reviewAnswer=item.get("reviewAnswer"),
            traceId=str(item.get("traceId", "")),
            createdAt=str(item.get("createdAt", "")),
            updatedAt=str(item.get("updatedAt", "")),
            timestamps=dict(item.get("timestamps") or {}),
            expiresAt=int(item.get("expiresAt", 0)),
            leaseOwner=item.get("leaseOwner"),
            leaseExpiresAt=float(item["leaseExpiresAt"]) if item.get("leaseExpiresAt") is not None else None,
            batchId=item.get("batchId"),
        )
