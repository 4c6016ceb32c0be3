"""The batch archive: a ZIP streamed from stored objects into a multipart upload."""

from __future__ import annotations

import asyncio
import io
import os
import zipfile
from collections.abc import AsyncIterator

import pytest

from services.batcher import archive
from services.batcher.archive import ArchiveEntry, build_archive
from services.common.errors import DependencyUnavailableError
from tests.fakes.job_files import InMemoryJobFiles


async def _entries(items: list[ArchiveEntry]) -> AsyncIterator[ArchiveEntry]:
    for item in items:
        yield item


async def test_the_zip_holds_every_object_in_order_under_its_name_plus_the_extra_files() -> None:
    """Every entry's bytes come back from zipfile byte for byte, in order, then the extras."""
    files = InMemoryJobFiles()
    blobs = {f"jobs/j{i}/square.jpg": os.urandom(100_000 + i) for i in range(5)}
    for key, data in blobs.items():
        await files.put(key, data, "image/jpeg")
    items = [ArchiveEntry(f"{i + 1}-j{i}-square.jpg", key) for i, key in enumerate(blobs)]

    info = await build_archive(files, _entries(items), "batches/b/archive.zip", extra=[("results.csv", b"row\n1\n")])

    data = files.objects["batches/b/archive.zip"]
    assert (info.size, info.count, info.missing) == (len(data), 6, [])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == [item.name for item in items] + ["results.csv"]
        for item in items:
            assert zf.read(item.name) == blobs[item.key]
        assert zf.read("results.csv") == b"row\n1\n"
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())


async def test_a_missing_object_is_listed_and_left_out() -> None:
    """An object that is gone is named in ``missing``; the archive holds the others."""
    files = InMemoryJobFiles()
    await files.put("a.jpg", b"a" * 10, "image/jpeg")
    items = [ArchiveEntry("gone.jpg", "gone.jpg"), ArchiveEntry("a.jpg", "a.jpg")]

    info = await build_archive(files, _entries(items), "out.zip")

    assert (info.count, info.missing) == (1, ["gone.jpg"])
    with zipfile.ZipFile(io.BytesIO(files.objects["out.zip"])) as zf:
        assert zf.namelist() == ["a.jpg"]


async def test_output_larger_than_a_part_is_uploaded_in_several_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts are cut at PART_SIZE; the joined parts still open as a ZIP."""
    monkeypatch.setattr(archive, "PART_SIZE", 5 * 1024 * 1024)
    files = InMemoryJobFiles()
    parts_seen: list[int] = []
    original = files.upload_part

    async def counting(key: str, upload_id: str, number: int, data: bytes) -> str:
        parts_seen.append(len(data))
        return await original(key, upload_id, number, data)

    monkeypatch.setattr(files, "upload_part", counting)
    for i in range(4):
        await files.put(f"k{i}", os.urandom(3 * 1024 * 1024), "image/jpeg")

    await build_archive(files, _entries([ArchiveEntry(f"n{i}", f"k{i}") for i in range(4)]), "out.zip")

    assert len(parts_seen) == 3 and all(size >= 5 * 1024 * 1024 for size in parts_seen[:-1])
    with zipfile.ZipFile(io.BytesIO(files.objects["out.zip"])) as zf:
        assert zf.testzip() is None


async def test_a_failure_aborts_the_upload_and_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A read failing mid-archive raises, aborts the multipart upload, writes no object."""
    files = InMemoryJobFiles()
    await files.put("a", b"x" * 10, "image/jpeg")
    await files.put("b", b"y" * 10, "image/jpeg")
    original = files.open_stream

    async def failing_on_b(key: str) -> AsyncIterator[bytes] | None:
        if key == "b":
            raise DependencyUnavailableError("image storage unavailable")
        return await original(key)

    monkeypatch.setattr(files, "open_stream", failing_on_b)
    entries = _entries([ArchiveEntry("a", "a"), ArchiveEntry("b", "b")])

    with pytest.raises(DependencyUnavailableError):
        await build_archive(files, entries, "out.zip")

    assert "out.zip" not in files.objects and files.uploads == {}


async def test_an_upload_failure_stops_the_writer_thread_and_aborts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A part refused mid-archive raises and aborts, and the writer thread ends (the executor shuts
    down at once) instead of staying blocked on the full queue."""
    monkeypatch.setattr(archive, "PART_SIZE", 5 * 1024 * 1024)
    files = InMemoryJobFiles()

    async def refusing(key: str, upload_id: str, number: int, data: bytes) -> str:
        raise DependencyUnavailableError("image storage unavailable")

    monkeypatch.setattr(files, "upload_part", refusing)
    for i in range(4):
        await files.put(f"k{i}", os.urandom(3 * 1024 * 1024), "image/jpeg")

    entries = _entries([ArchiveEntry(f"n{i}", f"k{i}") for i in range(4)])
    with pytest.raises(DependencyUnavailableError):
        await asyncio.wait_for(build_archive(files, entries, "o"), 10)

    assert "o" not in files.objects and files.uploads == {}
    await asyncio.wait_for(asyncio.get_running_loop().shutdown_default_executor(), 5)
