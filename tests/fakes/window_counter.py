"""The WindowCounter port in memory."""

from __future__ import annotations

from services.common.errors import DependencyUnavailableError
from services.common.window_counter import window_start

__all__ = ["InMemoryWindowCounter"]


class InMemoryWindowCounter:
    """``counts`` by (bucket, window, start), ``taken`` by (bucket, token); ``down`` makes every
    call fail like an unreachable store."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, int, int], int] = {}
        self.taken: dict[tuple[str, str], int] = {}
        self.calls = 0
        self.down = False

    def _check_up(self) -> None:
        self.calls += 1
        if self.down:
            raise DependencyUnavailableError("rate limit counters unavailable (fake)")

    async def hit(self, bucket: str, *, limit: int, window_seconds: int, now: float, cost: int = 1) -> float:
        self._check_up()
        start = window_start(now, window_seconds)
        key = (bucket, window_seconds, start)
        if self.counts.get(key, 0) + cost > limit:
            return max(start + window_seconds - now, 0.001)
        self.counts[key] = self.counts.get(key, 0) + cost
        return 0.0

    async def take(self, bucket: str, *, limit: int, window_seconds: int, now: float, cost: int, token: str) -> int:
        self._check_up()
        if (bucket, token) in self.taken:
            return self.taken[(bucket, token)]
        key = (bucket, window_seconds, window_start(now, window_seconds))
        taken = max(0, min(cost, limit - self.counts.get(key, 0)))
        self.counts[key] = self.counts.get(key, 0) + taken
        self.taken[(bucket, token)] = taken
        return taken
