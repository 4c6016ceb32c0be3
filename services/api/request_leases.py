"""The shared requests-per-second limit, spent from tokens each task leases from the counter.

Counting every request in the shared table would put a conditional write on every request's
path. Instead a task leases tokens for a key from the current window's shared count in
growing chunks (1, 2, 4 ... up to a twentieth of the window's limit) and spends them in
memory: a key making a few requests a second costs a write every few requests, a busy key
one write per chunk. The sum of all leases never passes the limit, so the limit holds across
tasks; what a task leased and did not spend by the window's end is lost, so a key spread
over many tasks may be refused a little before its full rate (at most one chunk per task).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from services.api.window_counter import WindowCounter

__all__ = ["RequestLeases", "WINDOW_SECONDS"]

#: The rate is enforced over windows this long (a key may spend its 10 s budget in a burst).
WINDOW_SECONDS = 10
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

    async def take(self, bucket: str, rate: float) -> float:
        """Spend one request of ``bucket`` at ``rate`` per second: 0.0, or the seconds to wait."""
        limit = max(1, math.floor(rate * WINDOW_SECONDS))
        now = self._clock()
        start = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
        lease = self._leases.get(bucket)
        if lease is None or lease.start != start:
            lease = self._leases[bucket] = _Lease(start)
        self._leases.move_to_end(bucket)
        while len(self._leases) > self._max:
            self._leases.popitem(last=False)  # its unspent tokens are forgotten: only ever stricter
        if lease.left == 0:
            chunk = min(lease.next_chunk, max(1, limit // _CHUNK_SHARE))
            key = f"rps:{bucket}"
            wait = await self._counter.hit(key, limit=limit, window_seconds=WINDOW_SECONDS, now=now, cost=chunk)
            if wait > 0 and chunk > 1:  # near the limit: the last few tokens one at a time
                chunk = 1
                wait = await self._counter.hit(key, limit=limit, window_seconds=WINDOW_SECONDS, now=now)
            if wait > 0:
                lease.next_chunk = 1
                return wait
            lease.left += chunk
            lease.next_chunk = chunk * 2
        lease.left -= 1
        return 0.0
