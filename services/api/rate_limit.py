"""A token bucket per caller (API key hash, or client address for anonymous seed calls).

In-process: each API process enforces its own buckets, so N replicas allow N times the
rate. That bounds a runaway client cheaply; a shared limit belongs in front (ALB/WAF).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["TokenBuckets"]


class TokenBuckets:
    def __init__(
        self,
        rate_per_second: float,
        burst: int,
        *,
        max_callers: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate_per_second
        self._burst = float(burst)
        self._max = max_callers
        self._clock = clock
        # caller -> (tokens, last refill); least recently seen first, so eviction is O(1).
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self._rate > 0

    def take(self, caller: str) -> float:
        """Spend one token: 0.0 when allowed, else the seconds until a token is available."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        tokens, last = self._buckets.pop(caller, (self._burst, now))
        tokens = min(self._burst, tokens + (now - last) * self._rate)
        if tokens >= 1.0:
            self._buckets[caller] = (tokens - 1.0, now)
            wait = 0.0
        else:
            self._buckets[caller] = (tokens, now)
            wait = (1.0 - tokens) / self._rate
        while len(self._buckets) > self._max:
            # A forgotten caller comes back with a full bucket: only ever more lenient.
            self._buckets.popitem(last=False)
        return wait

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
