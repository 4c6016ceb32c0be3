"""The contract of the HostGate port (per-host politeness shared by every scraper task)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from services.common.host_gate import HostGate, HostLimits, SlotGrant, SlotRefusal

__all__ = ["HostGateContract"]

T0 = 1_800_000_000.0
LEASE = 30.0
FAST = HostLimits(max_in_flight=2, requests_per_second=100.0)  # 10 ms apart: only the slots count


class HostGateContract:
    @pytest.fixture
    def gate(self) -> HostGate:
        raise NotImplementedError

    @staticmethod
    def _host() -> str:
        return f"shop-{uuid.uuid4().hex[:8]}.example"

    async def test_requests_start_no_closer_than_the_hosts_interval(self, gate: HostGate) -> None:
        """At 1 request/s a second request 0.3 s after the first waits 0.7 s; at 1 s it passes."""
        host, limits = self._host(), HostLimits(max_in_flight=4, requests_per_second=1.0)
        first = await gate.acquire(host, limits, now=T0, lease_seconds=LEASE)
        assert isinstance(first, SlotGrant)
        refused = await gate.acquire(host, limits, now=T0 + 0.3, lease_seconds=LEASE)
        assert isinstance(refused, SlotRefusal) and not refused.backing_off
        assert refused.wait == pytest.approx(0.7, abs=0.01)
        assert isinstance(await gate.acquire(host, limits, now=T0 + 1.0, lease_seconds=LEASE), SlotGrant)

    async def test_no_more_than_max_in_flight_slots_are_held_until_one_is_given_back(self, gate: HostGate) -> None:
        """Two slots held: the third request waits; after a release it gets the freed slot."""
        host = self._host()
        a = await gate.acquire(host, FAST, now=T0, lease_seconds=LEASE)
        b = await gate.acquire(host, FAST, now=T0 + 1, lease_seconds=LEASE)
        assert isinstance(a, SlotGrant) and isinstance(b, SlotGrant) and a.slot != b.slot
        third = await gate.acquire(host, FAST, now=T0 + 2, lease_seconds=LEASE)
        assert isinstance(third, SlotRefusal) and 0 < third.wait <= LEASE
        await gate.release(a)
        again = await gate.acquire(host, FAST, now=T0 + 3, lease_seconds=LEASE)
        assert isinstance(again, SlotGrant) and again.slot == a.slot

    async def test_a_slot_whose_lease_ended_is_free_and_its_old_holder_cannot_free_the_new_one(
        self, gate: HostGate
    ) -> None:
        """A task that died holding a slot loses it at the lease end; its late release leaves the new holder's."""
        host, one = self._host(), HostLimits(max_in_flight=1, requests_per_second=100.0)
        dead = await gate.acquire(host, one, now=T0, lease_seconds=LEASE)
        assert isinstance(dead, SlotGrant)
        assert isinstance(await gate.acquire(host, one, now=T0 + LEASE - 1, lease_seconds=LEASE), SlotRefusal)
        new = await gate.acquire(host, one, now=T0 + LEASE + 1, lease_seconds=LEASE)
        assert isinstance(new, SlotGrant)
        await gate.release(dead)
        assert isinstance(await gate.acquire(host, one, now=T0 + LEASE + 2, lease_seconds=LEASE), SlotRefusal)

    async def test_a_back_off_holds_every_request_until_it_ends_and_a_shorter_one_does_not_cut_it(
        self, gate: HostGate
    ) -> None:
        """back_off(until=T0+60): a request at T0+10 waits 50 s (backing_off); back_off(T0+20) changes nothing."""
        host = self._host()
        await gate.back_off(host, until=T0 + 60)
        await gate.back_off(host, until=T0 + 20)
        refused = await gate.acquire(host, FAST, now=T0 + 10, lease_seconds=LEASE)
        assert isinstance(refused, SlotRefusal) and refused.backing_off
        assert refused.wait == pytest.approx(50, abs=0.01)
        assert isinstance(await gate.acquire(host, FAST, now=T0 + 60, lease_seconds=LEASE), SlotGrant)

    async def test_hosts_are_paced_apart(self, gate: HostGate) -> None:
        """One host's held slot and last start never hold up another host."""
        one = HostLimits(max_in_flight=1, requests_per_second=0.1)
        assert isinstance(await gate.acquire(self._host(), one, now=T0, lease_seconds=LEASE), SlotGrant)
        assert isinstance(await gate.acquire(self._host(), one, now=T0, lease_seconds=LEASE), SlotGrant)

    async def test_concurrent_requests_never_pass_the_interval_or_the_slots(self, gate: HostGate) -> None:
        """20 requests at the same instant: exactly one starts (the check and the start are one atomic write);
        20 spread 1 ms apart at 1000/s with 3 slots: never more than 3 hold a slot, each a different one."""
        host = self._host()
        same = await asyncio.gather(*(gate.acquire(host, FAST, now=T0, lease_seconds=LEASE) for _ in range(20)))
        assert sum(isinstance(a, SlotGrant) for a in same) == 1
        other, three = self._host(), HostLimits(max_in_flight=3, requests_per_second=1000.0)
        spread = await asyncio.gather(
            *(gate.acquire(other, three, now=T0 + i * 0.002, lease_seconds=LEASE) for i in range(20))
        )
        grants = [a for a in spread if isinstance(a, SlotGrant)]
        assert 1 <= len(grants) <= 3
        assert len({g.slot for g in grants}) == len(grants)
