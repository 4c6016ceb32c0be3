"""S3JobFiles leaves encryption to the bucket's default: it never asks for one of its own."""

from __future__ import annotations

from typing import Any

from services.common.adapters.s3_job_files import S3JobFiles


class RecordingS3:
    def __init__(self) -> None:
        self.puts: list[dict[str, Any]] = []

    async def put_object(self, **kwargs: Any) -> dict[str, Any]:
        self.puts.append(kwargs)
        return {}


async def test_put_sends_no_encryption_header_so_the_bucket_default_key_applies() -> None:
    """No ServerSideEncryption or KMS key id in the request: the bucket policy refuses any other than its default."""
    s3 = RecordingS3()
    await S3JobFiles(s3, "images", cache_control="max-age=60").put("jobs/j/square.jpg", b"x", "image/jpeg")  # type: ignore[arg-type]
    [put] = s3.puts
    assert not {k for k in put if k.startswith(("ServerSideEncryption", "SSEKMS"))}, put
    assert put["CacheControl"] == "max-age=60" and put["ContentType"] == "image/jpeg"
