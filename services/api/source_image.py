"""The caller's product photo: fetched once, safely, and kept in S3 for the renderer.

The renderer reads photos only from S3 (``job.sourceImageKey``), never from a URL, so the
API fetches the caller's ``imageUrl`` with the scraper's ``SafeFetcher``: same address
policy (no private, loopback or metadata addresses), same size and pixel caps.
"""

from __future__ import annotations

from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from services.api.problems import Problem
from services.common.errors import ProductshotError
from services.common.logging import get_logger

__all__ = ["ImageFetcher", "SourceImageStore", "IMAGE_EXTENSIONS"]

_log = get_logger(__name__)
IMAGE_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/avif": "avif",
}


class ImageFetcher(Protocol):
    async def fetch_image(self, url: str) -> Any: ...


class SourceImageStore:
    def __init__(self, fetcher: ImageFetcher, s3: Any, bucket: str) -> None:
        self._fetcher = fetcher
        self._s3 = s3
        self._bucket = bucket

    async def copy(self, job_id: str, url: str) -> str:
        """Fetch ``url`` and store it as ``jobs/{job_id}/source.<ext>``; the key, or a Problem."""
        try:
            image = await self._fetcher.fetch_image(url)
        except ProductshotError as exc:
            _log.info("source_image_refused", url=url, reason=exc.reason, permanent=exc.permanent)
            if exc.permanent:
                raise Problem(
                    422,
                    f"product.imageUrl could not be used: {exc.reason}",
                    errors=[{"field": "product.imageUrl", "message": exc.reason, "code": "unfetchable"}],
                ) from exc
            raise Problem(
                503,
                f"product.imageUrl could not be fetched right now ({exc.reason}); try again.",
                headers={"Retry-After": "5"},
            ) from exc
        key = f"jobs/{job_id}/source.{IMAGE_EXTENSIONS.get(image.content_type, 'img')}"
        try:
            await self._s3.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=image.body,
                ContentType=image.content_type,
                ServerSideEncryption="AES256",
            )
        except (BotoCoreError, ClientError) as exc:
            raise Problem(503, "Image storage is unavailable; try again shortly.") from exc
        return key
