"""Where the renderer keeps what it makes: deterministic keys, so a retry overwrites."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

__all__ = ["ImageStorage", "variant_key", "background_key", "image_content_type"]


def variant_key(job_id: str, fmt: str, ext: str) -> str:
    return f"jobs/{job_id}/{fmt}.{ext}"


def background_key(job_id: str, attempt: int) -> str:
    # No extension: the model answers PNG, JPEG or WebP; the object's Content-Type says which.
    return f"jobs/{job_id}/background-{attempt}"


def image_content_type(data: bytes) -> str:
    """The Content-Type of encoded image bytes, from their signature."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return "application/octet-stream"


class ImageStorage:
    def __init__(self, s3: Any, bucket: str, cache_control: str) -> None:
        self._s3 = s3
        self.bucket = bucket
        self._cache_control = cache_control

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        # One PutObject: S3 never shows a partly written object, so no half image is ever served.
        await self._s3.put_object(
            Bucket=self.bucket, Key=key, Body=data, ContentType=content_type,
            CacheControl=self._cache_control, ServerSideEncryption="AES256",
        )

    async def get(self, key: str) -> bytes | None:
        try:
            result = await self._s3.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
                return None
            raise
        async with result["Body"] as body:
            data: bytes = await body.read()
        return data
