"""Politeness towards one shop: the port every scraper task shares to pace requests to a host.

A request to a host first takes one of the host's in-flight slots and its turn in the rate
(at least ``1 / requests_per_second`` since the last request any task started there), and
waits out a back-off the host asked for (429/503 with ``Retry-After``). The adapter
(adapters/dynamo_host_gate.py) keeps one item per host in the jobs table, so every task of
every process sees one count; the in-memory fake (tests/fakes) passes the same contract.
A slot is a lease: a task that dies holding one loses it when the lease ends.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["FULL_POLL_SECONDS", "HostGate", "HostLimits", "HostState", "SlotGrant", "SlotRefusal", "next_turn"]

#: Longest pause before asking again while every slot is held (slots are usually given back
#: long before their lease ends, so waiting for the lease would waste the host's turn).
FULL_POLL_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class HostLimits:
    """The pace one request asks for at its host (defaults and clamping: the scraper's settings)."""

    max_in_flight: int
    requests_per_second: float

    @property
    def min_interval(self) -> float:
        return 1.0 / self.requests_per_second


@dataclass(frozen=True, slots=True)
class SlotGrant:
    """A taken slot; give it back with ``HostGate.release`` (it also ends by itself at its lease)."""

    host: str
    slot: int
    token: float


@dataclass(frozen=True, slots=True)
class SlotRefusal:
    """No slot now: ``wait`` is the seconds worth waiting before asking again; ``backing_off`` when
    the host itself asked us to stay away (429/503 with Retry-After); ``slots_full`` when only
    the in-flight slots are in the way (a slot given back is then worth asking again at once)."""

    wait: float
    backing_off: bool = False
    slots_full: bool = False


class HostGate(Protocol):
    async def acquire(
        self, host: str, limits: HostLimits, *, now: float, lease_seconds: float
    ) -> SlotGrant | SlotRefusal:
        """Take a slot at ``host`` if fewer than ``limits.max_in_flight`` are held (unexpired),
        the last request there started at least ``limits.min_interval`` before ``now``, and the
        host is not backing off; the request then counts as started at ``now``."""
        ...

    async def release(self, grant: SlotGrant) -> None:
        """Give the slot back (nothing happens when its lease ended and another task took it)."""
        ...

    async def back_off(self, host: str, *, until: float) -> None:
        """No task starts a request at ``host`` before ``until`` (a later back-off is kept)."""
        ...


@dataclass(slots=True)
class HostState:
    """What the gate knows of one host: each held slot's lease end, the last start, the back-off."""

    slots: dict[int, float] = field(default_factory=dict)
    last_start: float | None = None
    back_off_until: float | None = None


def next_turn(state: HostState, limits: HostLimits, now: float) -> int | SlotRefusal:
    """The slot a request at ``now`` may take, or how long to wait: the rule every gate applies.

    A request asking for ``max_in_flight`` = N looks at slots 0..N-1 only, so a batch's
    stricter override holds for its own requests (docs/fetching.md). A free slot is chosen at
    random, so tasks asking together rarely race for the same one.
    """
    if state.back_off_until is not None and state.back_off_until > now:
        return SlotRefusal(state.back_off_until - now, backing_off=True)
    if state.last_start is not None and now < state.last_start + limits.min_interval:
        return SlotRefusal(state.last_start + limits.min_interval - now)
    held = {slot: end for slot, end in state.slots.items() if slot < limits.max_in_flight and end > now}
    free = [slot for slot in range(limits.max_in_flight) if slot not in held]
    if free:
        return random.choice(free)
    return SlotRefusal(min(min(held.values()) - now, max(limits.min_interval, FULL_POLL_SECONDS)), slots_full=True)
