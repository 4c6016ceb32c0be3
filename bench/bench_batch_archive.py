"""Batch archive: wall time, MB/s and peak memory while zipping many image-sized objects.

The objects are generated on read (seeded random bytes, ~300 KB each) and the uploaded
parts are only counted and checksummed, so the measured memory is the archive builder's
own: it must stay near a few parts however large the archive grows.

    .venv/bin/python bench/bench_batch_archive.py --images 1000 --size 300000
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.batcher.archive import PART_SIZE, ArchiveEntry, build_archive  # noqa: E402


class GeneratedFiles:
    """Objects made up on read, parts counted and dropped (only what build_archive calls)."""

    bucket = "bench"

    def __init__(self, size: int) -> None:
        self._size = size
        self.parts = 0
        self.digest = hashlib.sha256()

    async def open_stream(self, key: str) -> AsyncIterator[bytes] | None:
        return self._chunks(key)

    async def _chunks(self, key: str) -> AsyncIterator[bytes]:
        rng = random.Random(key)
        left = self._size
        while left:
            n = min(left, 256 * 1024)
            left -= n
            yield rng.randbytes(n)

    async def create_multipart(self, key: str, content_type: str) -> str:
        return "upload"

    async def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        self.parts += 1
        self.digest.update(data)
        return str(number)

    async def complete_multipart(self, key: str, upload_id: str, etags: list[str]) -> None:
        return None

    async def abort_multipart(self, key: str, upload_id: str) -> None:
        return None


async def _entries(count: int) -> AsyncIterator[ArchiveEntry]:
    for row in range(1, count + 1):
        yield ArchiveEntry(f"{row}-job{row:05d}-square.jpg", f"jobs/job{row:05d}/square.jpg")


async def main(images: int, size: int) -> None:
    files = GeneratedFiles(size)
    tracemalloc.start()
    started = time.perf_counter()
    info = await build_archive(files, _entries(images), "batches/bench/archive.zip", extra=[("results.csv", b"row\n")])  # type: ignore[arg-type]
    wall = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mb = info.size / 1e6
    print(f"images={images} object_bytes={size} entries={info.count} missing={len(info.missing)}")
    print(f"archive_bytes={info.size} parts={files.parts} part_size={PART_SIZE}")
    print(f"wall_s={wall:.2f} throughput_MB_s={mb / wall:.1f}")
    print(f"tracemalloc_peak_MB={peak / 1e6:.1f} peak_over_archive={peak / info.size:.4f} max_rss_MB={rss_mb:.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--size", type=int, default=300_000)
    args = parser.parse_args()
    asyncio.run(main(args.images, args.size))
