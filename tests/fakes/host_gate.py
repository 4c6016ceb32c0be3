"""The HostGate port in memory (one process's view; the adapter shares it between processes)."""

from __future__ import annotations

import random

from services.common.errors import DependencyUnavailableError
from services.common.host_gate import HostLimits, HostState, SlotGrant, SlotRefusal, next_turn

__all__ = ["InMemoryHostGate"]


class InMemoryHostGate:
    """``hosts`` by name; ``calls`` counts every call; ``down`` fails them like an unreachable store."""

    def __init__(self) -> None:
        self.hosts: dict[str, HostState] = {}
        self.calls = 0
        self.down = False

    def _state(self, host: str) -> HostState:
        self.calls += 1
        if self.down:
            raise DependencyUnavailableError("host politeness unavailable (fake)")
        return self.hosts.setdefault(host, HostState())

    async def acquire(
        self, host: str, limits: HostLimits, *, now: float, lease_seconds: float
    ) -> SlotGrant | SlotRefusal:
        state = self._state(host)
        turn = next_turn(state, limits, now)
        if isinstance(turn, SlotRefusal):
            return turn
        token = now + lease_seconds + random.random() / 1000
        state.slots[turn] = token
        state.last_start = now
        return SlotGrant(host, turn, token)

    async def release(self, grant: SlotGrant) -> None:
        state = self._state(grant.host)
        if state.slots.get(grant.slot) == grant.token:
            del state.slots[grant.slot]

    async def back_off(self, host: str, *, until: float) -> None:
        state = self._state(host)
        if state.back_off_until is None or state.back_off_until < until:
            state.back_off_until = until
