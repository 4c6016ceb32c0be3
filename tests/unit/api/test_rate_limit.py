"""The per-caller token bucket."""

from __future__ import annotations

from services.api.rate_limit import TokenBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill_at_the_rate() -> None:
    """A caller gets `burst` requests at once, then one per 1/rate seconds; the wait is reported."""
    clock = Clock()
    buckets = TokenBuckets(2.0, 3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == 0.5 and TokenBuckets.retry_after(0.5) == "1"
    clock.now = 0.5
    assert buckets.take("a") == 0.0


def test_callers_are_independent_and_zero_rate_disables() -> None:
    """One caller's empty bucket does not limit another; rate 0 means no limit."""
    buckets = TokenBuckets(1.0, 1, clock=Clock())
    assert buckets.take("a") == 0.0 and buckets.take("a") > 0 and buckets.take("b") == 0.0
    off = TokenBuckets(0, 1)
    assert all(off.take("a") == 0.0 for _ in range(100))


def test_memory_is_bounded() -> None:
    """Past max_callers the least recently seen caller is forgotten (it comes back with a full bucket)."""
    buckets = TokenBuckets(1.0, 1, max_callers=2, clock=Clock())
    for caller in ("a", "b", "c"):
        buckets.take(caller)
    assert list(buckets._buckets) == ["b", "c"]
