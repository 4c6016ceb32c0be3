"""Counters shared by every task: the port behind rate limits and quotas.

A fixed-window counter per bucket: the adapter (adapters/dynamo_window_counter.py) keeps one
item per bucket and window in the jobs table and counts with conditional writes, so N tasks
enforce one limit between them; the in-memory fake (tests/fakes) passes the same contract.
The API's limiter counts requests and accepted jobs with ``hit``; the batch worker counts a
source's expanded jobs with ``take`` on the same ``jobs:<tenant>`` bucket.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["WindowCounter", "window_start", "DAY_SECONDS", "daily_jobs_bucket"]

#: The daily job quota's window: the API and the batch worker count on the same one.
DAY_SECONDS = 86_400


def daily_jobs_bucket(tenant: str) -> str:
    """The bucket a tenant's accepted jobs are counted in against its daily quota."""
    return f"jobs:{tenant}"


def window_start(now: float, window_seconds: int) -> int:
    """Windows start at multiples of ``window_seconds`` since the epoch (1-day windows: 00:00 UTC)."""
    return int(now // window_seconds) * window_seconds


class WindowCounter(Protocol):
    async def hit(self, bucket: str, *, limit: int, window_seconds: int, now: float, cost: int = 1) -> float:
        """Count ``cost`` against ``bucket`` in the window of ``window_seconds`` that holds ``now``
        (windows start at multiples of ``window_seconds`` since the epoch).

        0.0 when the count stays within ``limit``; else nothing is counted and the answer is
        the seconds until that window ends. A store that cannot answer raises
        ``DependencyUnavailableError``.
        """
        ...

    async def take(self, bucket: str, *, limit: int, window_seconds: int, now: float, cost: int, token: str) -> int:
        """Count as much of ``cost`` as still fits under ``limit`` in the window that holds
        ``now``; the number counted (0..cost).

        Idempotent per ``token``: a take whose token was seen before counts nothing and answers
        what the first one counted (whichever window it is now), so work replayed after a crash
        is not counted twice. A store that cannot answer raises ``DependencyUnavailableError``.
        """
        ...
