"""The batch archive on the local S3: a multipart ZIP of several parts that zipfile reads back."""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from collections.abc import AsyncIterator

import httpx
import pytest

from services.batcher import archive
from services.batcher.archive import ArchiveEntry, build_archive
from services.common.adapters.s3_job_files import S3JobFiles
from services.common.aws import aws_clients
from services.common.settings import CommonSettings

pytestmark = pytest.mark.integration


async def _entries(items: list[ArchiveEntry]) -> AsyncIterator[ArchiveEntry]:
    for item in items:
        yield item


async def test_a_few_megabytes_of_objects_become_a_multipart_zip_that_opens_and_presigns(
    aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """12 MB of objects zip into a 3-part upload; the presigned link serves a ZIP whose entries match."""
    monkeypatch.setattr(archive, "PART_SIZE", 5 * 1024 * 1024)
    batch = str(uuid.uuid4())
    async with aws_clients(aws_env["AWS_REGION"], "s3") as clients:
        files = S3JobFiles(clients.s3, CommonSettings().bucket)
        blobs = {f"jobs/{batch}-{i}/square.jpg": os.urandom(2_000_000) for i in range(6)}
        for key, data in blobs.items():
            await files.put(key, data, "image/jpeg")
        items = [ArchiveEntry(f"{i + 1}-{key.split('/')[1]}-square.jpg", key) for i, key in enumerate(blobs)]
        items.insert(2, ArchiveEntry("gone.jpg", f"jobs/{batch}-gone/square.jpg"))
        dest = f"batches/{batch}/archive.zip"

        info = await build_archive(files, _entries(items), dest, extra=[("results.csv", b"row\n")])
        url = await files.presign_get(dest, expires_in=300)

    assert info.count == 7 and info.missing == [f"jobs/{batch}-gone/square.jpg"] and info.size > 10 * 1024 * 1024
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200 and len(response.content) == info.size
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        assert zf.namelist() == [item.name for item in items if item.name != "gone.jpg"] + ["results.csv"]
        for item in items:
            if item.name != "gone.jpg":
                assert zf.read(item.name) == blobs[item.key]
