"""Writing into --out DIR atomically: a temp file beside the target, then rename."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class DownloadError(Exception):
    """A downloaded file did not match what the API announced (size or content type)."""


def write_atomic(path: Path, data: bytes) -> None:
    """Never leaves a half-written ``path``: the bytes land in a temp file renamed over it."""
    stream_atomic(path, [data])


def stream_atomic(path: Path, chunks: Iterable[bytes], expected_size: int | None = None) -> int:
    """``write_atomic`` for a body that arrives in pieces (a large ZIP never sits in memory);
    the bytes written, refused (nothing at ``path``) when they differ from ``expected_size``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        written = 0
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                written += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if expected_size is not None and written != expected_size:
            raise DownloadError(f"{path.name}: {written} bytes received, {expected_size} announced")
        os.replace(tmp, path)
        return written
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, value: Any) -> None:
    write_atomic(path, (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode())


def image_name(job_id: str, image: dict[str, Any]) -> str:
    ext = _EXT.get(str(image.get("contentType")), "bin")
    return f"{job_id}-{image.get('format', 'image')}.{ext}"


def check_image(image: dict[str, Any], body: bytes, content_type: str | None) -> None:
    """The bytes are what the job view announced: its size and content type."""
    size = image.get("size")
    if isinstance(size, int) and size != len(body):
        raise DownloadError(f"{image.get('format')}: {len(body)} bytes received, {size} announced")
    wanted = image.get("contentType")
    got = (content_type or "").split(";")[0].strip()
    if wanted and got and got != wanted:
        raise DownloadError(f"{image.get('format')}: content type {got}, {wanted} announced")
