"""Short-lived links to private images, minted on every read (never stored)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.common.job_files import JobFiles

__all__ = ["Presigner"]


class Presigner:
    def __init__(self, files: JobFiles, ttl_seconds: int) -> None:
        self._files = files
        self.ttl_seconds = ttl_seconds

    async def url(self, bucket: str, key: str, *, download_as: str | None = None) -> tuple[str, str]:
        """(presigned GET URL, its expiry as ISO 8601 UTC); ``download_as`` names the saved file."""
        expires = datetime.now(UTC) + timedelta(seconds=self.ttl_seconds)
        url = await self._files.presign_get(key, bucket=bucket, expires_in=self.ttl_seconds, download_as=download_as)
        return url, expires.isoformat(timespec="seconds").replace("+00:00", "Z")
