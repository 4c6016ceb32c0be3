"""HostPacer: each attempt waits its turn at the host, never holds a worker past the bounded
wait, gives its slot back, and turns a shop's 429/503 into a shared, capped back-off."""

from __future__ import annotations

import asyncio

import pytest

from services.common.failure_codes import FailureCode
from services.common.fetching.fetch_errors import HostBusyError, RateLimitedError, ServerError
from services.common.host_gate import HostLimits
from services.common.host_pacing import HostPacer, host_of
from tests.fakes import InMemoryHostGate

T0 = 1_800_000_000.0
ONE_PER_SECOND = HostLimits(max_in_flight=2, requests_per_second=1.0)


class Clock:
    def __init__(self) -> None:
        self.now = T0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _pacer(gate: InMemoryHostGate, clock: Clock, **overrides: float) -> HostPacer:
    options = {"lease_seconds": 30.0, "max_wait": 20.0, "max_back_off": 600.0, "default_back_off": 30.0,
               "start_margin": 0.1, **overrides}
    return HostPacer(gate, clock=clock, sleep=clock.sleep, **options)


def test_requests_are_paced_per_host_name_and_port() -> None:
    """Case and the default port do not make another host; another port does."""
    assert host_of("https://Shop.Example/p/1") == host_of("https://shop.example:443/x") == "shop.example"
    assert host_of("http://127.0.0.1:8080/p") == "127.0.0.1:8080"


async def test_the_second_request_waits_a_full_interval_and_starts_at_the_recorded_instant() -> None:
    """Two requests at 1/s: the first starts after the start margin, the second one second after the first."""
    gate, clock = InMemoryHostGate(), Clock()
    pacer = _pacer(gate, clock)
    starts = []
    for _ in range(2):
        async with pacer.slot("https://shop.example/p/1", ONE_PER_SECOND):
            starts.append(clock.now)
    assert starts[0] == pytest.approx(T0 + 0.1)
    assert starts[1] - starts[0] >= 1.0
    assert gate.hosts["shop.example"].slots == {}  # both slots given back


async def test_past_the_bounded_wait_the_job_goes_back_to_the_queue_with_the_gates_delay() -> None:
    """A host backing off for 100 s: no waiting in the worker beyond 20 s; HostBusyError (shop_busy) carries ~100 s."""
    gate, clock = InMemoryHostGate(), Clock()
    await gate.back_off("shop.example", until=T0 + 100)
    with pytest.raises(HostBusyError) as raised:
        async with _pacer(gate, clock).slot("https://shop.example/p/1", ONE_PER_SECOND):
            pytest.fail("no slot while the host backs off")
    assert raised.value.retry_after == pytest.approx(99.9, abs=0.2)
    assert raised.value.failure_code == FailureCode.SHOP_BUSY
    assert clock.slept == []


async def test_a_429s_retry_after_becomes_the_hosts_back_off_capped_and_the_slot_is_given_back() -> None:
    """Retry-After 5000 s with a 600 s cap: every later request waits 600 s, the error (and so the queue) too."""
    gate, clock = InMemoryHostGate(), Clock()
    error = RateLimitedError("429", retry_after=5000)
    with pytest.raises(RateLimitedError):
        async with _pacer(gate, clock).slot("https://shop.example/p/1", ONE_PER_SECOND):
            raise error
    state = gate.hosts["shop.example"]
    assert state.back_off_until == pytest.approx(clock.now + 600)
    assert error.retry_after == 600
    assert state.slots == {}


async def test_a_503_without_retry_after_backs_off_the_default_and_a_500_not_at_all() -> None:
    """503 with no Retry-After: the default 30 s back-off; 500: a retry of our own, no back-off for the host."""
    gate, clock = InMemoryHostGate(), Clock()
    pacer = _pacer(gate, clock)
    with pytest.raises(ServerError):
        async with pacer.slot("https://a.example/p", ONE_PER_SECOND):
            raise ServerError("500", status=500)
    assert gate.hosts["a.example"].back_off_until is None
    with pytest.raises(ServerError):
        async with pacer.slot("https://b.example/p", ONE_PER_SECOND):
            raise ServerError("503", status=503)
    assert gate.hosts["b.example"].back_off_until == pytest.approx(clock.now + 30)


async def test_tasks_of_one_process_queue_for_a_host_so_only_one_at_a_time_asks_the_table() -> None:
    """Ten tasks want one host at 1 in flight, 50/s: each fetch costs at most three table calls (one refused
    ask, the granted one, the release), not one per waiting task per turn; none ever held a slot together."""
    gate = InMemoryHostGate()
    pacer = HostPacer(gate, lease_seconds=30, max_wait=20, max_back_off=600, default_back_off=30, start_margin=0)
    limits, holding, most = HostLimits(max_in_flight=1, requests_per_second=50.0), 0, 0

    async def fetch() -> None:
        nonlocal holding, most
        async with pacer.slot("https://shop.example/p", limits):
            holding += 1
            most = max(most, holding)
            await asyncio.sleep(0)
            holding -= 1

    await asyncio.gather(*(fetch() for _ in range(10)))
    assert most == 1
    assert gate.calls <= 3 * 10


async def test_a_slot_given_back_in_this_process_lets_the_waiting_task_ask_at_once() -> None:
    """One slot, held 50 ms: the next task gets it soon after, not after the 0.5 s poll of a full host."""
    gate = InMemoryHostGate()
    pacer = HostPacer(gate, lease_seconds=30, max_wait=20, max_back_off=600, default_back_off=30, start_margin=0)
    limits = HostLimits(max_in_flight=1, requests_per_second=1000.0)
    loop = asyncio.get_running_loop()

    async def hold() -> None:
        async with pacer.slot("https://shop.example/p", limits):
            await asyncio.sleep(0.05)

    async def wait_turn() -> float:
        await asyncio.sleep(0.01)  # after the holder took the slot
        asked = loop.time()
        async with pacer.slot("https://shop.example/p", limits):
            return loop.time() - asked

    _, waited = await asyncio.gather(hold(), wait_turn())
    assert waited < 0.3
