"""A stored batch and its rows as the API shows them, and the opaque cursors of their pages."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from services.api.problems import Problem
from services.api.v1.batch_responses import (
    ArchiveStateOut,
    BatchErrorOut,
    BatchItemOut,
    BatchLinksOut,
    BatchOut,
)
from services.common.batch import Batch, BatchItem, BatchStatus, empty_counts, item_view

__all__ = ["batch_path", "batch_out", "item_out", "missing_count", "wrap_cursor", "unwrap_cursor"]

_ARCHIVE_SHOWN = ("status", "size", "count", "requestedAt", "builtAt", "error")


def batch_path(batch_id: str) -> str:
    return f"/v1/batches/{batch_id}"


def missing_count(archive: dict[str, Any]) -> int | None:
    """How many images the ZIP left out (the build records their keys; the count is what we show)."""
    missing = archive.get("missing")
    if isinstance(missing, list):
        return len(missing)
    return int(missing) if isinstance(missing, int) else None


def _archive(archive: dict[str, Any] | None) -> ArchiveStateOut | None:
    if not archive or archive.get("status") not in ("building", "ready", "failed"):
        return None
    shown = {k: archive[k] for k in _ARCHIVE_SHOWN if archive.get(k) is not None}
    return ArchiveStateOut(**shown, missing=missing_count(archive))


def batch_out(batch: Batch) -> BatchOut:
    path = batch_path(batch.batchId)
    error = batch.error
    return BatchOut(
        batchId=batch.batchId,
        status=BatchStatus(batch.status),
        source=batch.source,
        total=batch.total,
        sourceNote=batch.sourceNote,
        duplicates=batch.duplicates,
        counts={**empty_counts(), **{k: int(v) for k, v in batch.counts.items()}},
        done=batch.done,
        progress=batch.progress,
        metadata=dict(batch.metadata),
        politeness=batch.politeness,
        error=BatchErrorOut(code=str(error.get("code", "")), reason=str(error.get("reason", "")))
        if error
        else None,
        createdAt=batch.createdAt,
        updatedAt=batch.updatedAt,
        completedAt=batch.completedAt,
        expiresAt=batch.expiresAt,
        cancelRequestedAt=batch.cancelRequestedAt,
        archive=_archive(batch.archive),
        links=BatchLinksOut(self=path, items=f"{path}/items", results=f"{path}/results", archive=f"{path}/archive"),
    )


def item_out(item: BatchItem) -> BatchItemOut:
    return BatchItemOut.model_validate(item_view(item))


def wrap_cursor(scope: str, cursor: str | None) -> str | None:
    """The store's cursor, tied to ``scope`` (a tenant's listing, a batch's rows) and made opaque."""
    if cursor is None:
        return None
    return base64.urlsafe_b64encode(json.dumps({"s": scope, "c": cursor}).encode()).decode()


def unwrap_cursor(cursor: str | None, scope: str) -> str | None:
    """The store's cursor from one this API issued for ``scope``; else 400."""
    if cursor is None:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        ok = isinstance(data, dict) and data.get("s") == scope and isinstance(data.get("c"), str)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        ok = False
    if not ok:
        raise Problem(
            400,
            "cursor is not one this API returned for this listing; start again without it.",
            errors=[{"field": "cursor", "message": "invalid cursor", "code": "invalid"}],
        )
    return str(data["c"])
