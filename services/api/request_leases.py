"""Shared limits spent from tokens each task leases from the counter (requests, daily jobs).

Counting every request in the shared table would put a conditional write on every request's
path. Instead a task leases tokens for a bucket from the current window's shared count in
growing chunks (from one token, doubling up to a twentieth of the window's limit; a new
window starts at half the last chunk) and spends them in memory: a key making a few requests a second costs
a write every few requests, a busy key one write per chunk. The sum of all leases never
passes the limit, so the limit holds across tasks; what a task leased and did not spend by
the window's end is lost, so a bucket spread over many tasks may be refused a little before
its full limit (at most one chunk per task).
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from services.common.window_counter import WindowCounter

__all__ = ["RequestLeases"]

_CHUNK_SHARE = 20


@dataclass(slots=True)
class _Lease:
    start: int
    left: int = 0
    next_chunk: int = 1


class RequestLeases:
    def __init__(self, counter: WindowCounter, clock: Callable[[], float], *, max_keys: int = 10_000) -> None:
        self._counter = counter
        self._clock = clock
        self._max = max_keys
        self._leases: OrderedDict[str, _Lease] = OrderedDict()

    async def take(self, bucket: str, *, limit: int, window_seconds: int, spread: bool = False) -> float:
        """Spend one of ``bucket``'s ``limit`` per window: 0.0, or the seconds until the window ends.

        ``spread``: the bucket's windows start at an offset of its own (a hash of its name), so
        the leases of many keys do not all run out, and all write, at the same instant.
        """
        now = self._clock() + (zlib.crc32(bucket.encode()) % window_seconds if spread else 0)
        start = int(now // window_seconds) * window_seconds
        lease = self._leases.get(bucket)
        if lease is None or lease.start != start:
            # A task's first lease is one token: what a task leased and never spent is lost with
            # it, so a chunk sized from the limit would let every restart (deploy, scale-in,
            # crash) burn a share of a tenant's daily quota.
            first = lease.next_chunk // 2 if lease else 1
            lease = self._leases[bucket] = _Lease(start, next_chunk=max(1, first))
        self._leases.move_to_end(bucket)
        while len(self._leases) > self._max:
            self._leases.popitem(last=False)  # its unspent tokens are forgotten: only ever stricter
        if lease.left == 0:
            chunk = min(lease.next_chunk, max(1, limit // _CHUNK_SHARE))
            wait = await self._counter.hit(bucket, limit=limit, window_seconds=window_seconds, now=now, cost=chunk)
            if wait > 0 and chunk > 1:  # near the limit: the last few tokens one at a time
                chunk = 1
                wait = await self._counter.hit(bucket, limit=limit, window_seconds=window_seconds, now=now)
            if wait > 0:
                lease.next_chunk = 1
                return wait
            lease.left += chunk
            lease.next_chunk = chunk * 2
        lease.left -= 1
        return 0.0
