"""Short-lived links to private images, minted on every read (never stored)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.common.job_files import JobFiles

__all__ = ["Presigner"]


class Presigner:
    def __init__(self, files: JobFiles, ttl_seconds: int) -> None:
        self._files = files
        self.ttl_seconds = ttl_seconds

    async def url(self, bucket: str, key: str) -> tuple[str, str]:
        """(presigned GET URL, its expiry as ISO 8601 UTC)."""
        expires = datetime.now(UTC) + timedelta(seconds=self.ttl_seconds)
        url = await self._files.presign_get(key, bucket=bucket, expires_in=self.ttl_seconds)
        return url, expires.isoformat(timespec="seconds").replace("+00:00", "Z")
