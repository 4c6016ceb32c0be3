"""A batch and its items as stored, and the rules that turn a request's items into them.

One source of truth for: item keys, the batch statuses, URL normalising for duplicates and
the counts a batch view shows (``queued`` = accepted but not yet released).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from services.common.job import new_job_id
from services.common.product import Product

__all__ = [
    "item_view",
    "BatchStatus", "ItemStatus", "BatchItem", "Batch", "SourceItem", "HEAD_KEY", "COUNT_KEYS", "MAX_ITEMS",
    "item_key", "normalise_product_url", "plan_items", "empty_counts", "done_of", "BATCH_FILES_PREFIX",
    "batch_request_key", "batch_archive_key",
]

#: The most items one batch takes (request items, CSV rows or a source's expansion).
MAX_ITEMS = 10_000
#: The range key of a batch's head record; items are ``item#00000001`` ...
HEAD_KEY = "#batch"


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One item a batch is asked for (a request's item, a CSV row, a source's entry), before planning."""

    productUrl: str | None = None  # noqa: N815 - the API's field name
    product: dict[str, Any] | None = None
    options: dict[str, Any] = field(default_factory=dict)


class BatchStatus(StrEnum):
    EXPANDING = "expanding"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL_BATCH = frozenset({BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.CANCELLED})


class ItemStatus(StrEnum):
    """An item's status: a job status once released, ``queued`` before, ``cancelled`` if never released."""

    QUEUED = "queued"
    PENDING = "pending"
    SCRAPING = "scraping"
    REVIEW = "review"
    SCRAPED = "scraped"
    RENDERING = "rendering"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


COUNT_KEYS: tuple[str, ...] = tuple(s.value for s in ItemStatus)
FINISHED_ITEM = frozenset({ItemStatus.COMPLETED, ItemStatus.FAILED, ItemStatus.CANCELLED})


#: Where a batch's files live in the bucket (same lifetime as the images: infra/topology.json).
BATCH_FILES_PREFIX = "batches/"


def batch_request_key(batch_id: str) -> str:
    """The API's stored request: ``{"items": [...], "defaults": {...}}`` (a source batch: defaults only)."""
    return f"{BATCH_FILES_PREFIX}{batch_id}/request.json"


def batch_archive_key(batch_id: str) -> str:
    """The ZIP of a finished batch's images and its results.csv."""
    return f"{BATCH_FILES_PREFIX}{batch_id}/images.zip"


def item_key(row: int) -> str:
    """Zero-padded so the items sort by row in the table (rows start at 1)."""
    return f"item#{row:08d}"


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(COUNT_KEYS, 0)


def done_of(counts: dict[str, int]) -> int:
    return sum(counts.get(s.value, 0) for s in FINISHED_ITEM)


def normalise_product_url(url: str) -> str:
    """Lower-case scheme and host, no fragment: two rows naming one page become one job.
    Path and query stay as given (shops' paths are often case-sensitive)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


@dataclass(slots=True)
class BatchItem:
    """One row of a batch; a duplicate row shares its first row's job and is never released."""

    batchId: str
    row: int
    jobId: str
    request: dict[str, Any]  # the job request fields after defaults (productUrl | product, formats ...)
    status: str = ItemStatus.QUEUED.value
    attempt: int = 0  # the job attempt the status belongs to (0 before release)
    duplicateOf: int | None = None
    errorCode: str | None = None
    error: str | None = None
    product: dict[str, Any] | None = None
    images: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return item_key(self.row)

    @property
    def productUrl(self) -> str | None:
        url = self.request.get("productUrl")
        return str(url) if url else None


@dataclass(slots=True)
class Batch:
    """The head record of a batch."""

    batchId: str
    tenant: str
    status: str
    createdAt: str
    updatedAt: str
    expiresAt: str
    total: int = 0
    duplicates: int = 0
    released: int = 0  # rows handed to the pipeline so far (the next release starts after them)
    counts: dict[str, int] = field(default_factory=empty_counts)
    metadata: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] | None = None
    sourceCursor: str | None = None
    politeness: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    completedAt: str | None = None
    #: The ZIP of the batch's images: {"status": "building"|"ready"|"failed", "key", "size", "count",
    #: "missing", "requestedAt", "builtAt", "error"}; None until first asked for.
    archive: dict[str, Any] | None = None
    #: When DELETE asked to cancel the batch (the batch worker cancels what is not released).
    cancelRequestedAt: str | None = None
    #: A source batch: the tenant's daily job quota when the batch was made (0: none; None: a batch
    #: made before source batches were counted). The batch worker counts each expanded page's new
    #: jobs against it, on the same counter as the API.
    jobsPerDay: int | None = None
    #: Why a source batch holds fewer rows than its source listed (the daily quota ran out).
    sourceNote: str | None = None

    @property
    def done(self) -> int:
        return done_of(self.counts)

    @property
    def in_flight(self) -> int:
        """Released rows not finished yet (duplicates move with their first row, so they count too)."""
        return self.total - self.counts.get(ItemStatus.QUEUED.value, 0) - self.done

    @property
    def progress(self) -> float:
        return 1.0 if self.total == 0 else round(self.done / self.total, 4)


def plan_items(batch_id: str, requests: list[dict[str, Any]], defaults: dict[str, Any], *,
               first_row: int = 1) -> list[BatchItem]:
    """Rows with their jobs: defaults fill what a row leaves out; the same normalised
    productUrl again becomes a duplicate of its first row (same jobId, ``duplicateOf``).
    ``first_row`` lets a source's later pages continue the numbering (dedupe is per call;
    the caller passes earlier pages' URLs through ``plan_items``' result when it needs more)."""
    seen: dict[str, BatchItem] = {}
    items: list[BatchItem] = []
    for offset, raw in enumerate(requests):
        request = {**defaults, **{k: v for k, v in raw.items() if v is not None}}
        row = first_row + offset
        url = request.get("productUrl")
        first = seen.get(normalise_product_url(url)) if isinstance(url, str) and not request.get("product") else None
        if first is not None:
            items.append(BatchItem(batch_id, row, first.jobId, request, duplicateOf=first.row))
            continue
        item = BatchItem(batch_id, row, new_job_id(), request)
        if isinstance(url, str) and not request.get("product"):
            seen[normalise_product_url(url)] = item
        items.append(item)
    return items


def item_view(item: BatchItem) -> dict[str, Any]:
    """A row as the API's items and results show it and the archive's results.csv writes it.

    Before its job has found facts, a product-facts row shows its own (so results read back as input).
    """
    facts = item.product if item.product is not None else item.request.get("product")
    return {"row": item.row, "productUrl": item.productUrl, "jobId": item.jobId, "status": item.status,
            "duplicateOf": item.duplicateOf, "errorCode": item.errorCode, "error": item.error,
            "product": Product.from_dict(facts).to_dict() if isinstance(facts, dict) else None,
            "images": [dict(image) for image in item.images]}
