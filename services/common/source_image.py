"""The caller's product photo: fetched once, safely, and kept in S3 for the renderer.

The renderer reads photos only from S3 (``job.sourceImageKey``), never from a URL, so the
API fetches the caller's ``imageUrl`` with the shared ``SafeFetcher``
(``services/common/fetching``): same address policy (no private, loopback or metadata
addresses), same size and pixel caps.
"""

from __future__ import annotations

from typing import Any, Protocol

from services.common.errors import PermanentError, ProductshotError, TransientError
from services.common.job_failures import public_failure
from services.common.job_files import JobFiles, source_image_key
from services.common.logging import get_logger

__all__ = [
    "ImageFetcher",
    "SourceImageStore",
    "SourceImageUnusableError",
    "SourceImageUnreachableError",
    "SourceImageStorageError",
]

_log = get_logger(__name__)


class SourceImageUnusableError(PermanentError):
    """product.imageUrl was refused (address policy, not an image, too large ...): the reason says why."""


class SourceImageUnreachableError(TransientError):
    """product.imageUrl could not be fetched right now: the reason says why."""


class SourceImageStorageError(TransientError):
    """The fetched photo could not be stored."""


class ImageFetcher(Protocol):
    async def fetch_image(self, url: str) -> Any: ...


class SourceImageStore:
    def __init__(self, fetcher: ImageFetcher, files: JobFiles) -> None:
        self._fetcher = fetcher
        self._files = files

    async def copy(self, job_id: str, url: str) -> str:
        """Fetch ``url`` and store it as ``jobs/{job_id}/source.<ext>``; the key."""
        try:
            image = await self._fetcher.fetch_image(url)
        except ProductshotError as exc:
            _log.info("source_image_refused", url=url, reason=exc.reason, permanent=exc.permanent)
            # The caller sees the public sentence: a refused internal address and an unknown
            # host read the same, so the answer cannot map our network.
            reason = public_failure(exc).reason
            if exc.permanent:
                raise SourceImageUnusableError(reason) from exc
            raise SourceImageUnreachableError(reason) from exc
        key = source_image_key(job_id, image.content_type)
        try:
            await self._files.put(key, image.body, image.content_type)
        except TransientError as exc:
            raise SourceImageStorageError(exc.reason) from exc
        return key
