"""The JobFiles port on an S3 bucket.

Objects are encrypted by the bucket's default (the customer KMS key in a deployment): the
adapter sends no encryption header, and the bucket policy refuses any other encryption.
Deleting removes every version of a key (the bucket is versioned), so a deleted job's
images do not linger as noncurrent versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from services.common.adapters.aws_errors import translated
from services.common.errors import JobFileNotFoundError

if TYPE_CHECKING:
    from types_aiobotocore_s3.client import S3Client

__all__ = ["S3JobFiles"]

_MISSING = {code: JobFileNotFoundError for code in ("NoSuchKey", "404", "NotFound")}
_DELETE_BATCH = 1000  # DeleteObjects' limit


class S3JobFiles:
    def __init__(self, s3: S3Client, bucket: str, *, cache_control: str | None = None) -> None:
        self._s3 = s3
        self._bucket = bucket
        self._cache_control = cache_control

    @property
    def bucket(self) -> str:
        return self._bucket

    async def check(self) -> None:
        with translated("image storage"):
            await self._s3.head_bucket(Bucket=self._bucket)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        extra: dict[str, Any] = {"CacheControl": self._cache_control} if self._cache_control else {}
        with translated("image storage"):
            await self._s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type, **extra)

    async def get(self, key: str) -> bytes | None:
        try:
            with translated("image storage", _MISSING):
                result = await self._s3.get_object(Bucket=self._bucket, Key=key)
                async with result["Body"] as body:
                    data: bytes = await body.read()
        except JobFileNotFoundError:
            return None
        return data

    async def keys_under(self, prefix: str) -> list[str]:
        keys: list[str] = []
        with translated("image storage"):
            paginator = self._s3.get_paginator("list_objects_v2")
            async for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
                keys.extend(obj["Key"] for obj in page.get("Contents", []))
        return keys

    async def delete(self, keys: Iterable[str], *, bucket: str | None = None) -> None:
        """Remove every version (and delete marker) of each key; a key with none is skipped."""
        target = bucket or self._bucket
        versions = [entry for key in dict.fromkeys(keys) for entry in await self._versions(target, key)]
        for start in range(0, len(versions), _DELETE_BATCH):
            batch: list[Any] = versions[start : start + _DELETE_BATCH]
            with translated("image storage"):
                await self._s3.delete_objects(Bucket=target, Delete={"Objects": batch, "Quiet": True})

    async def _versions(self, bucket: str, key: str) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        with translated("image storage"):
            paginator = self._s3.get_paginator("list_object_versions")
            async for page in paginator.paginate(Bucket=bucket, Prefix=key):
                for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
                    if entry.get("Key") == key:  # the prefix also matches longer keys
                        found.append({"Key": key, "VersionId": entry.get("VersionId") or "null"})
        return found

    async def presign_get(self, key: str, *, expires_in: int, bucket: str | None = None) -> str:
        with translated("image storage"):
            url: str = await self._s3.generate_presigned_url(
                "get_object", Params={"Bucket": bucket or self._bucket, "Key": key}, ExpiresIn=expires_in
            )
        return url
