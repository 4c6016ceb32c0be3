"""Counters shared by every API task: the port behind rate limits and quotas.

A fixed-window counter per bucket: the adapter (dynamo_window_counter.py) keeps one item per
bucket and window in the jobs table and counts with one conditional UpdateItem, so N tasks
enforce one limit between them; the in-memory fake (tests/fakes) passes the same contract.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["WindowCounter"]


class WindowCounter(Protocol):
    async def hit(self, bucket: str, *, limit: int, window_seconds: int, now: float, cost: int = 1) -> float:
        """Count ``cost`` against ``bucket`` in the window of ``window_seconds`` that holds ``now``
        (windows start at multiples of ``window_seconds`` since the epoch).

        0.0 when the count stays within ``limit``; else nothing is counted and the answer is
        the seconds until that window ends. A store that cannot answer raises
        ``DependencyUnavailableError``.
        """
        ...
