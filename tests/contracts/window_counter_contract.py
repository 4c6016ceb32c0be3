"""The contract of the WindowCounter port (rate limits and quotas shared by every API task)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from services.common.window_counter import WindowCounter

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

    async def test_a_take_counts_what_fits_and_shares_the_count_with_hits(self, counter: WindowCounter) -> None:
        """take counts up to what is left under the limit (hits included) and answers how many;
        a hit then finds the window full; a full window takes 0."""
        bucket = self._bucket()
        assert await counter.hit(bucket, limit=10, window_seconds=60, now=T0, cost=3) == 0.0
        assert await counter.take(bucket, limit=10, window_seconds=60, now=T0 + 1, cost=5, token="a") == 5
        assert await counter.take(bucket, limit=10, window_seconds=60, now=T0 + 2, cost=5, token="b") == 2
        assert await counter.hit(bucket, limit=10, window_seconds=60, now=T0 + 3) > 0
        assert await counter.take(bucket, limit=10, window_seconds=60, now=T0 + 4, cost=1, token="c") == 0
        assert await counter.take(bucket, limit=10, window_seconds=60, now=T0 + 60, cost=4, token="d") == 4

    async def test_a_take_again_with_its_token_counts_nothing_and_answers_the_same(
        self, counter: WindowCounter
    ) -> None:
        """The same token (work replayed after a crash) answers the first take's count, even in
        a later window, and counts nothing more; another bucket's token is another token."""
        bucket, other = self._bucket(), self._bucket()
        assert await counter.take(bucket, limit=6, window_seconds=60, now=T0, cost=4, token="page-1") == 4
        assert await counter.take(bucket, limit=6, window_seconds=60, now=T0 + 5, cost=4, token="page-1") == 4
        assert await counter.take(bucket, limit=6, window_seconds=60, now=T0 + 61, cost=4, token="page-1") == 4
        assert await counter.take(bucket, limit=6, window_seconds=60, now=T0 + 6, cost=9, token="page-2") == 2
        assert await counter.take(other, limit=6, window_seconds=60, now=T0, cost=4, token="page-1") == 4
        # The new window counted nothing for the replay: its whole limit is left.
        assert await counter.hit(bucket, limit=6, window_seconds=60, now=T0 + 62, cost=6) == 0.0

    async def test_concurrent_takes_never_overshoot_the_limit(self, counter: WindowCounter) -> None:
        """8 takes of 3 at once against a limit of 10: 10 counted between them, never more."""
        bucket = self._bucket()
        answers = await asyncio.gather(*(
            counter.take(bucket, limit=10, window_seconds=60, now=T0 + 1, cost=3, token=f"t{i}") for i in range(8)
        ))
        assert sum(answers) == 10
        assert await counter.hit(bucket, limit=10, window_seconds=60, now=T0 + 2) > 0
