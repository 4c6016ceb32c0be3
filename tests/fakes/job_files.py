"""The JobFiles port in memory: objects per (bucket, key)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Iterable
from urllib.parse import quote

from services.common.errors import DependencyUnavailableError

__all__ = ["InMemoryJobFiles"]


class InMemoryJobFiles:
    """``objects`` maps a key of this bucket to its bytes (``stored`` keeps every bucket and the
    content type); ``down`` makes every call fail as an unreachable bucket does."""

    def __init__(self, bucket: str = "bucket") -> None:
        self._bucket = bucket
        self.stored: dict[tuple[str, str], tuple[bytes, str]] = {}
        self.down = False
        self.uploads: dict[str, dict[int, bytes]] = {}
        self.chunk_size = 64 * 1024

    @property
    def bucket(self) -> str:
        return self._bucket

    @property
    def objects(self) -> dict[str, bytes]:
        return {key: data for (bucket, key), (data, _) in self.stored.items() if bucket == self._bucket}

    def _check_up(self) -> None:
        if self.down:
            raise DependencyUnavailableError("image storage unavailable (fake endpoint down)")

    async def check(self) -> None:
        self._check_up()

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self._check_up()
        self.stored[(self._bucket, key)] = (bytes(data), content_type)

    async def get(self, key: str) -> bytes | None:
        self._check_up()
        found = self.stored.get((self._bucket, key))
        return found[0] if found else None

    async def keys_under(self, prefix: str) -> list[str]:
        self._check_up()
        return sorted(key for bucket, key in self.stored if bucket == self._bucket and key.startswith(prefix))

    async def delete(self, keys: Iterable[str], *, bucket: str | None = None) -> None:
        self._check_up()
        for key in keys:
            self.stored.pop((bucket or self._bucket, key), None)

    async def presign_get(self, key: str, *, expires_in: int, bucket: str | None = None,
                          download_as: str | None = None) -> str:
        self._check_up()
        url = f"https://s3.local/{bucket or self._bucket}/{key}?X-Amz-Expires={expires_in}"
        if download_as is not None:
            url += "&response-content-disposition=" + quote(f'attachment; filename="{download_as}"', safe="")
        return url

    async def open_stream(self, key: str) -> AsyncIterator[bytes] | None:
        self._check_up()
        found = self.stored.get((self._bucket, key))
        if found is None:
            return None
        return self._chunks(found[0])

    async def _chunks(self, data: bytes) -> AsyncIterator[bytes]:
        for start in range(0, len(data), self.chunk_size):
            self._check_up()
            yield data[start : start + self.chunk_size]

    async def create_multipart(self, key: str, content_type: str) -> str:
        self._check_up()
        upload_id = uuid.uuid4().hex
        self.uploads[upload_id] = {}
        return upload_id

    async def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        self._check_up()
        self.uploads[upload_id][number] = bytes(data)
        return hashlib.md5(data).hexdigest()  # noqa: S324 - an ETag, as S3 makes it

    async def complete_multipart(self, key: str, upload_id: str, etags: list[str]) -> None:
        self._check_up()
        parts = self.uploads.pop(upload_id)
        if len(etags) != len(parts) or any(len(parts[n]) < 5 * 1024 * 1024 for n in list(parts)[:-1]):
            raise ValueError("parts missing or smaller than 5 MiB (S3 refuses them)")
        self.stored[(self._bucket, key)] = (b"".join(parts[n] for n in sorted(parts)), "application/zip")

    async def abort_multipart(self, key: str, upload_id: str) -> None:
        self._check_up()
        self.uploads.pop(upload_id, None)
