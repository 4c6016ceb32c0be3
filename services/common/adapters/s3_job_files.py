"""The JobFiles port on an S3 bucket.

Objects are encrypted by the bucket's default (the customer KMS key in a deployment): the
adapter sends no encryption header, and the bucket policy refuses any other encryption.
Deleting removes every version of a key (the bucket is versioned), so a deleted job's
images do not linger as noncurrent versions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from services.common.adapters.aws_errors import translated
from services.common.errors import JobFileNotFoundError
from services.common.job_files import key_kind
from services.common.metrics import Metric, emit

if TYPE_CHECKING:
    from types_aiobotocore_s3.client import S3Client

__all__ = ["S3JobFiles"]

_MISSING = {code: JobFileNotFoundError for code in ("NoSuchKey", "404", "NotFound")}
_DELETE_BATCH = 1000  # DeleteObjects' limit
_READ_CHUNK = 256 * 1024
_UPLOAD_GONE = {"NoSuchUpload": JobFileNotFoundError}


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
        emit(Metric.BYTES_WRITTEN, len(data), properties={"key": key}, kind=key_kind(key))

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

    async def presign_get(self, key: str, *, expires_in: int, bucket: str | None = None,
                          download_as: str | None = None) -> str:
        params = {"Bucket": bucket or self._bucket, "Key": key}
        if download_as is not None:  # S3 answers with this header; the name is ours, never the caller's
            params["ResponseContentDisposition"] = f'attachment; filename="{download_as}"'
        with translated("image storage"):
            url: str = await self._s3.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
        return url

    async def open_stream(self, key: str) -> AsyncIterator[bytes] | None:
        try:
            with translated("image storage", _MISSING):
                result = await self._s3.get_object(Bucket=self._bucket, Key=key)
        except JobFileNotFoundError:
            return None
        return self._chunks(result["Body"])

    async def _chunks(self, body: Any) -> AsyncIterator[bytes]:
        async with body:
            while True:
                with translated("image storage"):
                    chunk: bytes = await body.read(_READ_CHUNK)
                if not chunk:
                    return
                yield chunk

    async def create_multipart(self, key: str, content_type: str) -> str:
        with translated("image storage"):
            result = await self._s3.create_multipart_upload(Bucket=self._bucket, Key=key, ContentType=content_type)
        return result["UploadId"]

    async def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        with translated("image storage"):
            result = await self._s3.upload_part(
                Bucket=self._bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data
            )
        emit(Metric.BYTES_WRITTEN, len(data), properties={"key": key}, kind=key_kind(key))
        return result["ETag"]

    async def complete_multipart(self, key: str, upload_id: str, etags: list[str]) -> None:
        parts: Any = [{"ETag": etag, "PartNumber": number} for number, etag in enumerate(etags, start=1)]
        with translated("image storage"):
            await self._s3.complete_multipart_upload(
                Bucket=self._bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )

    async def abort_multipart(self, key: str, upload_id: str) -> None:
        try:
            with translated("image storage", _UPLOAD_GONE):
                await self._s3.abort_multipart_upload(Bucket=self._bucket, Key=key, UploadId=upload_id)
        except JobFileNotFoundError:
            return
