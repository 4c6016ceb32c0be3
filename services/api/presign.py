"""Short-lived links to private images, minted on every read (never stored)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["Presigner"]


class Presigner:
    def __init__(self, s3: Any, ttl_seconds: int) -> None:
        self._s3 = s3
        self.ttl_seconds = ttl_seconds

    async def url(self, bucket: str, key: str) -> tuple[str, str]:
        """(presigned GET URL, its expiry as ISO 8601 UTC)."""
        expires = datetime.now(UTC) + timedelta(seconds=self.ttl_seconds)
        url: str = await self._s3.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=self.ttl_seconds
        )
        return url, expires.isoformat(timespec="seconds").replace("+00:00", "Z")
