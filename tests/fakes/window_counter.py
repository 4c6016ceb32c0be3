"""The API's WindowCounter port in memory."""

from __future__ import annotations

from services.common.errors import DependencyUnavailableError

__all__ = ["InMemoryWindowCounter"]


class InMemoryWindowCounter:
    """``counts`` by (bucket, window, start); ``down`` makes every hit fail like an unreachable store."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, int, int], int] = {}
        self.calls = 0
        self.down = False

    async def hit(self, bucket: str, *, limit: int, window_seconds: int, now: float, cost: int = 1) -> float:
        self.calls += 1
        if self.down:
            raise DependencyUnavailableError("rate limit counters unavailable (fake)")
        start = int(now // window_seconds) * window_seconds
        key = (bucket, window_seconds, start)
        if self.counts.get(key, 0) + cost > limit:
            return max(start + window_seconds - now, 0.001)
        self.counts[key] = self.counts.get(key, 0) + cost
        return 0.0
