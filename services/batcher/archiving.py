"""``archive``: the ZIP of a finished batch's images, ``batches/{id}/images.zip``.

Every completed row's images, named ``{row:05d}-{format}.{ext}``, then ``results.csv`` (the
batch's results as GET .../results?format=csv answers them). The head's ``archive`` then
says ``ready`` with the key, the size, how many images it holds and how many were gone
(``missing``), or ``failed`` with a sentence (a new request builds it again).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from services.batcher.archive import ArchiveEntry, build_archive
from services.common.batch import TERMINAL_BATCH, BatchItem, ItemStatus, batch_archive_key, item_view
from services.common.batch_csv import write_rows
from services.common.batch_store import BatchStore
from services.common.job import utc_now_iso
from services.common.job_files import IMAGE_EXTENSIONS, JobFiles
from services.common.logging import get_logger

__all__ = ["archive_entries", "build_batch_archive", "RESULTS_NAME"]

_log = get_logger(__name__)
RESULTS_NAME = "results.csv"
FAILED_SENTENCE = "The archive could not be built; ask for it again."
_TERMINAL = frozenset(s.value for s in TERMINAL_BATCH)


def _extension(image: dict[str, Any]) -> str:
    name = str(image.get("key", "")).rsplit("/", 1)[-1]
    if "." in name:
        return name.rsplit(".", 1)[-1]
    return IMAGE_EXTENSIONS.get(str(image.get("contentType")), "img")

def archive_entries(rows: list[BatchItem]) -> list[ArchiveEntry]:
    """The images of every completed row, in row order."""
    return [ArchiveEntry(f"{row.row:05d}-{image.get('format', 'image')}.{_extension(image)}", str(image["key"]))
            for row in rows if row.status == ItemStatus.COMPLETED.value
            for image in row.images if image.get("key")]

async def _all_rows(store: BatchStore, batch_id: str) -> list[BatchItem]:
    rows: list[BatchItem] = []
    cursor: str | None = None
    while True:
        page = await store.items(batch_id, limit=1000, cursor=cursor)
        rows.extend(page.items)
        cursor = page.cursor
        if cursor is None:
            return rows

async def _each(entries: list[ArchiveEntry]) -> AsyncIterator[ArchiveEntry]:
    for entry in entries:
        yield entry

async def build_batch_archive(store: BatchStore, files: JobFiles, batch_id: str) -> dict[str, Any] | None:
    """Build the batch's ZIP and record it on the head; the head's ``archive`` (None: nothing to do)."""
    batch = await store.get(batch_id)
    if batch is None or batch.status not in _TERMINAL:
        _log.info("archive_not_built", batchId=batch_id, status=batch.status if batch else None)
        return None
    previous = batch.archive or {}
    if previous.get("status") == "ready":
        return previous
    kept = {k: previous[k] for k in ("requestedAt",) if k in previous}
    rows = await _all_rows(store, batch_id)
    entries = archive_entries(rows)
    results = "".join(write_rows(item_view(r) for r in rows)).encode("utf-8")
    try:
        info = await build_archive(files, _each(entries), batch_archive_key(batch_id), extra=[(RESULTS_NAME, results)])
    except Exception:  # noqa: BLE001 - recorded on the head; the next request builds it again
        _log.exception("archive_failed", batchId=batch_id, images=len(entries))
        archive: dict[str, Any] = {**kept, "status": "failed", "error": FAILED_SENTENCE}
    else:
        archive = {**kept, "status": "ready", "key": info.key, "size": info.size, "count": info.count - 1,
                   "missing": len(info.missing), "builtAt": utc_now_iso()}
        _log.info("archive_built", batchId=batch_id, size=info.size, images=info.count - 1, missing=len(info.missing))
    # The head keeps its (terminal) status: the move is to the same status, with the archive.
    await store.set_status(batch_id, to=batch.status, from_=frozenset({batch.status}), fields={"archive": archive})
    return archive
