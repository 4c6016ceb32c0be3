"""The contract of the WindowCounter port (rate limits and quotas shared by every API task)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from services.api.window_counter import WindowCounter

__all__ = ["WindowCounterContract"]

T0 = 1_800_000_000.0  # a window boundary for every window length used here (a multiple of 60)


class WindowCounterContract:
    @pytest.fixture
    def counter(self) -> WindowCounter:
        raise NotImplementedError

    @staticmethod
    def _bucket() -> str:
        return f"contract-{uuid.uuid4().hex[:8]}"

    async def test_hits_up_to_the_limit_pass_and_the_next_waits_for_the_window_end(
        self, counter: WindowCounter
    ) -> None:
        """limit hits answer 0.0; the next one answers the seconds left in the window, and counts nothing."""
        bucket = self._bucket()
        answers = [await counter.hit(bucket, limit=3, window_seconds=60, now=T0 + 10) for _ in range(3)]
        assert answers == [0.0, 0.0, 0.0]
        assert await counter.hit(bucket, limit=3, window_seconds=60, now=T0 + 15) == pytest.approx(45)
        # A raised limit lets exactly one more through: the refused hit was not counted.
        assert await counter.hit(bucket, limit=4, window_seconds=60, now=T0 + 16) == 0.0
        assert await counter.hit(bucket, limit=4, window_seconds=60, now=T0 + 16) > 0

    async def test_a_new_window_and_another_bucket_start_from_zero(self, counter: WindowCounter) -> None:
        """The next window counts afresh; one bucket's count never limits another."""
        bucket, other = self._bucket(), self._bucket()
        assert await counter.hit(bucket, limit=1, window_seconds=60, now=T0) == 0.0
        assert await counter.hit(bucket, limit=1, window_seconds=60, now=T0 + 59.5) == pytest.approx(0.5)
        assert await counter.hit(other, limit=1, window_seconds=60, now=T0 + 1) == 0.0
        assert await counter.hit(bucket, limit=1, window_seconds=60, now=T0 + 60) == 0.0

    async def test_a_hit_of_several_counts_them_all_or_none(self, counter: WindowCounter) -> None:
        """cost 4 against a limit of 6 passes once; a second cost 4 is refused (nothing counted), a cost 2 fits."""
        bucket = self._bucket()
        assert await counter.hit(bucket, limit=6, window_seconds=10, now=T0, cost=4) == 0.0
        assert await counter.hit(bucket, limit=6, window_seconds=10, now=T0 + 1, cost=4) == pytest.approx(9)
        assert await counter.hit(bucket, limit=6, window_seconds=10, now=T0 + 1, cost=2) == 0.0
        assert await counter.hit(bucket, limit=6, window_seconds=10, now=T0 + 1) > 0

    async def test_concurrent_hits_never_overshoot_the_limit(self, counter: WindowCounter) -> None:
        """20 hits at once against a limit of 5: exactly 5 pass (the count is one atomic update)."""
        bucket = self._bucket()
        answers = await asyncio.gather(
            *(counter.hit(bucket, limit=5, window_seconds=60, now=T0 + 1) for _ in range(20))
        )
        assert sum(1 for a in answers if a == 0.0) == 5
