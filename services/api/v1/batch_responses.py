"""Response bodies of /v1/batches as pydantic models (what the API sends is what the document says)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.api.v1.responses import ProductOut
from services.common.batch import BatchStatus, ItemStatus

__all__ = [
    "BatchOut",
    "BatchList",
    "BatchErrorOut",
    "BatchLinksOut",
    "ArchiveStateOut",
    "BatchItemOut",
    "BatchItemList",
    "BatchResults",
    "ArchiveOut",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BatchErrorOut(_Out):
    code: str = Field(
        description="source_empty, source_invalid, source_too_large, quota_exceeded, queue_unavailable ...")
    reason: str = Field(description="What went wrong, for a person to read.")


class BatchLinksOut(_Out):
    self: str
    items: str
    results: str
    archive: str


class ArchiveStateOut(_Out):
    """Where the batch's ZIP stands (GET the archive link for its download URL)."""

    status: Literal["building", "ready", "failed"]
    size: int | None = Field(default=None, description="Bytes, once ready.")
    count: int | None = Field(default=None, description="Files in the ZIP, once ready.")
    missing: int | None = Field(default=None, description="Images that were gone and are left out.")
    requestedAt: str | None = None
    builtAt: str | None = None
    error: str | None = None


class BatchOut(_Out):
    batchId: str
    status: BatchStatus = Field(description="expanding (its rows are being stored), running, completed, failed "
                                            "or cancelled.")
    source: dict[str, Any] | None = Field(
        description='{"type": "items"|"csv", "count": n}, or the source as given ({"type", "url", ...}).'
    )
    total: int = Field(description="Rows stored so far (all of them once running).")
    sourceNote: str | None = Field(
        default=None,
        description="A source batch that holds fewer rows than its source lists says why: the tenant's daily "
                    "job quota was reached while the source was expanded (the rest were not added).",
    )
    duplicates: int = Field(description="Rows whose product page another row already names (they share its job).")
    counts: dict[str, int] = Field(description="Rows in each item status: " + ", ".join(s.value for s in ItemStatus))
    done: int = Field(description="completed + failed + cancelled rows.")
    progress: float = Field(ge=0, le=1, description="done / total.")
    metadata: dict[str, Any]
    politeness: dict[str, Any] | None = None
    error: BatchErrorOut | None
    createdAt: str
    updatedAt: str
    completedAt: str | None
    expiresAt: str = Field(description="When the batch, its rows, jobs, images and ZIP are deleted.")
    cancelRequestedAt: str | None = None
    archive: ArchiveStateOut | None = None
    links: BatchLinksOut


class BatchList(_Out):
    batches: list[BatchOut]
    next: str | None = Field(description="Pass as ``cursor`` for the next page; null on the last page.")


class BatchItemOut(_Out):
    row: int = Field(ge=1)
    productUrl: str | None
    jobId: str = Field(description="GET /v1/jobs/{jobId} once the row is released (status other than queued).")
    status: ItemStatus
    duplicateOf: int | None = Field(description="The first row naming the same product page (same job).")
    errorCode: str | None
    error: str | None
    product: ProductOut | None = Field(description="The facts the job found (or the row's own).")
    images: list[dict[str, Any]] = Field(description="The job's images: format, key, contentType, size ...")


class BatchItemList(_Out):
    items: list[BatchItemOut]
    next: str | None = Field(description="Pass as ``cursor`` for the next page; null on the last page.")


class BatchResults(_Out):
    items: list[BatchItemOut]


class ArchiveOut(_Out):
    """The ZIP of the batch's images and results.csv: building, ready (with a link) or failed."""

    status: Literal["building", "ready", "failed"]
    url: str | None = Field(default=None, description="Short-lived presigned GET URL of the ZIP (ready).")
    size: int | None = None
    count: int | None = None
    missing: int | None = None
    expiresAt: str | None = Field(default=None, description="When ``url`` stops working.")
    error: str | None = None
