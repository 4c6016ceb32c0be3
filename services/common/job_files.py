"""A job's files (source photo, generated background, variants): the port and the key layout.

Every file of a job lives under ``jobs/{jobId}/``, with deterministic names so a retry
overwrites instead of piling up: ``source.<ext>`` (the product photo), ``background-<attempt>``
(the generated scene: PNG, JPEG or WebP, as its Content-Type says) and ``<format>.<ext>``
(each variant). The adapter
(adapters/s3_job_files.py) writes them encrypted; a store that cannot answer raises
``DependencyUnavailableError``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Protocol

__all__ = [
    "JobFiles",
    "IMAGE_EXTENSIONS",
    "job_prefix",
    "source_image_key",
    "variant_key",
    "background_key",
    "image_content_type",
    "key_kind",
]

#: The photo types the fetcher accepts, and the extension each is stored under.
IMAGE_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/avif": "avif",
}


def job_prefix(job_id: str) -> str:
    return f"jobs/{job_id}/"


def source_image_key(job_id: str, content_type: str) -> str:
    return f"{job_prefix(job_id)}source.{IMAGE_EXTENSIONS.get(content_type, 'img')}"


def variant_key(job_id: str, fmt: str, ext: str) -> str:
    return f"{job_prefix(job_id)}{fmt}.{ext}"


def key_kind(key: str) -> str:
    """Which of a job's files ``key`` is: photo, scene, variant (or other), for metrics."""
    if not key.startswith("jobs/"):
        return "other"
    name = key.rsplit("/", 1)[-1]
    if name.startswith("source."):
        return "photo"
    return "scene" if name.startswith("background-") else "variant"


def background_key(job_id: str, attempt: int) -> str:
    # No extension: the model answers PNG, JPEG or WebP (RENDERER_SCENE_FORMAT); the object's
    # Content-Type says which.
    return f"{job_prefix(job_id)}background-{attempt}"


def image_content_type(data: bytes) -> str:
    """The Content-Type of encoded image bytes, from their signature."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return "application/octet-stream"


class JobFiles(Protocol):
    @property
    def bucket(self) -> str:
        """Where ``put`` writes (recorded on each ImageRecord)."""

    async def check(self) -> None:
        """Raise when the bucket cannot be reached (readiness)."""

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write the whole object at once: readers never see a partly written file."""

    async def get(self, key: str) -> bytes | None:
        """The object's bytes; None when there is none under ``key``."""

    async def keys_under(self, prefix: str) -> list[str]: ...

    async def delete(self, keys: Iterable[str], *, bucket: str | None = None) -> None:
        """Delete ``keys`` (missing ones are no error) from ``bucket`` (default: this one)."""

    async def presign_get(self, key: str, *, expires_in: int, bucket: str | None = None,
                          download_as: str | None = None) -> str:
        """A link that reads the object for ``expires_in`` seconds; with ``download_as``, the answer
        asks the browser to save it under that file name (Content-Disposition: attachment)."""

    async def open_stream(self, key: str) -> AsyncIterator[bytes] | None:
        """The object's bytes in chunks (never the whole object at once); None when gone."""

    async def create_multipart(self, key: str, content_type: str) -> str:
        """Start a multipart upload to ``key``; its id. Nothing is visible until completed."""

    async def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        """Upload part ``number`` (from 1; >= 5 MiB except the last); its ETag."""

    async def complete_multipart(self, key: str, upload_id: str, etags: list[str]) -> None:
        """Join the parts (ETags in part order) into the object under ``key``."""

    async def abort_multipart(self, key: str, upload_id: str) -> None:
        """Drop the upload and its parts (an upload already gone is no error)."""
