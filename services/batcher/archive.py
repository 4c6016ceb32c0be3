"""The ZIP of a batch's images, streamed from S3 objects into an S3 multipart upload.

Images are already compressed, so entries are stored (no deflate); zipstream-ng writes each
entry's size and CRC after its data (data descriptor), so nothing is read twice; the archive
gets ZIP64 end records past 4 GiB or 65,535 entries (a single entry must stay under 4 GiB).
The ZIP writer is blocking work: it runs in a thread, pulling each object's chunks from
the event loop and handing its output back through a bounded queue;
the event loop groups the output into parts of ``PART_SIZE`` and uploads them. Memory stays
at a few parts whatever the number or size of the images. On any failure the multipart
upload is aborted, so no half-written archive ever appears under the destination key.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from zipstream import ZIP_STORED, ZipStream

from services.common.job_files import JobFiles

__all__ = ["ArchiveEntry", "ArchiveInfo", "build_archive", "PART_SIZE"]

PART_SIZE = 8 * 1024 * 1024  # S3 wants >= 5 MiB for every part but the last
_QUEUE_CHUNKS = 8  # output chunks in flight between the writer thread and the uploader
_DONE = object()
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """An S3 object (``key``) to store in the ZIP under ``name``."""

    name: str
    key: str


@dataclass(frozen=True, slots=True)
class ArchiveInfo:
    key: str
    size: int
    count: int
    missing: list[str] = field(default_factory=list)


async def build_archive(
    files: JobFiles,
    entries: AsyncIterable[ArchiveEntry],
    dest_key: str,
    *,
    extra: list[tuple[str, bytes]] | tuple[()] = (),
) -> ArchiveInfo:
    """Write the ZIP of ``entries`` (then the ``extra`` name/bytes pairs) to ``dest_key``.

    Objects that are gone are left out and listed in ``missing``; every other failure aborts
    the upload and is raised."""
    loop = asyncio.get_running_loop()
    output: asyncio.Queue[object] = asyncio.Queue(_QUEUE_CHUNKS)
    missing: list[str] = []
    counted = [0]
    entry_iter = aiter(entries)

    stopped = threading.Event()

    def call(awaitable: Awaitable[_T]) -> _T:
        # From the writer thread: run one step on the event loop and wait for its answer.
        if stopped.is_set():  # the upload failed: stop writing instead of blocking on the queue
            raise asyncio.CancelledError
        return asyncio.run_coroutine_threadsafe(_awaited(awaitable), loop).result()

    def emit(chunk: bytes) -> None:
        call(output.put(chunk))

    def write() -> None:
        zs = ZipStream(compress_type=ZIP_STORED, sized=False)
        while True:
            entry = call(anext(entry_iter, None))
            if entry is None:
                break
            stream = call(files.open_stream(entry.key))
            if stream is None:
                missing.append(entry.key)
                continue
            zs.add(_chunks(stream, call), entry.name)
            counted[0] += 1
            for chunk in zs.all_files():
                emit(chunk)
        for name, data in extra:
            zs.add(data, name)
            counted[0] += 1
            for chunk in zs.all_files():
                emit(chunk)
        for chunk in zs.footer():
            emit(chunk)

    upload = await files.create_multipart(dest_key, "application/zip")
    writer = asyncio.ensure_future(_run_writer(write, output))
    try:
        size, etags = await _upload_parts(files, dest_key, upload, output)
        await writer  # re-raises the writer's error, if any
        await files.complete_multipart(dest_key, upload, etags)
    except BaseException:
        stopped.set()
        while not writer.done():  # free a writer blocked on the full queue, so its thread ends
            with contextlib.suppress(asyncio.QueueEmpty):
                output.get_nowait()
            await asyncio.sleep(0.01)
        await asyncio.gather(writer, return_exceptions=True)
        # An abort that fails too must not hide the first error; the bucket's lifecycle rule
        # for incomplete multipart uploads removes such leftovers.
        with contextlib.suppress(Exception):
            await files.abort_multipart(dest_key, upload)
        raise
    return ArchiveInfo(key=dest_key, size=size, count=counted[0], missing=missing)


async def _run_writer(write: Callable[[], None], output: asyncio.Queue[object]) -> None:
    try:
        await asyncio.to_thread(write)
    except BaseException as error:
        await output.put(error)
        raise
    await output.put(_DONE)


async def _upload_parts(files: JobFiles, key: str, upload: str, output: asyncio.Queue[object]) -> tuple[int, list[str]]:
    buffer = bytearray()
    size = 0
    etags: list[str] = []
    while True:
        item = await output.get()
        if isinstance(item, BaseException):
            raise item
        if item is _DONE:
            break
        assert isinstance(item, bytes)
        buffer += item
        if len(buffer) >= PART_SIZE:
            etags.append(await files.upload_part(key, upload, len(etags) + 1, bytes(buffer)))
            size += len(buffer)
            buffer.clear()
    if buffer or not etags:
        etags.append(await files.upload_part(key, upload, len(etags) + 1, bytes(buffer)))
        size += len(buffer)
    return size, etags


async def _awaited(awaitable: Awaitable[_T]) -> _T:
    return await awaitable


def _chunks(stream: AsyncIterator[bytes], call: Callable[[Awaitable[Any]], Any]) -> Iterator[bytes]:
    while True:
        chunk = call(anext(stream, None))
        if chunk is None:
            return
        yield chunk
