"""Pacing every request to a shop's host through the shared ``HostGate`` (see docs/fetching.md).

``HostPacer.gate(limits)`` is the ``RequestGate`` the safe fetcher wraps around each attempt:
it waits for a slot at the URL's host (bounded by ``max_wait``: past it the job goes back to
the queue with ``HostBusyError`` and the delay the gate named, rather than holding a worker),
starts the request at the instant the gate recorded (``start_margin``), gives the slot back
when the attempt ends, and when the host answers 429 or 503 it records the host's back-off
(``Retry-After``, capped) so every task of every process waits it out.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from yarl import URL

from services.common.fetching.fetch_errors import HostBusyError, RateLimitedError, ServerError
from services.common.host_gate import FULL_POLL_SECONDS, HostGate, HostLimits, SlotGrant
from services.common.logging import get_logger

__all__ = ["HostPacer", "host_of"]

_log = get_logger(__name__)
_BACK_OFF_STATUSES = frozenset({429, 503})
_SPREAD_TURNS = 8  # at most this many turns' worth of random extra wait after repeated refusals


def host_of(url: str) -> str:
    """The host a URL's requests are paced at: its lower-case name (or address) and port."""
    parsed = URL(url)
    host = (parsed.host or "").lower().rstrip(".")
    return host if parsed.port in (None, 80, 443) else f"{host}:{parsed.port}"


class HostPacer:
    def __init__(
        self, gate: HostGate, *, lease_seconds: float, max_wait: float, max_back_off: float,
        default_back_off: float, start_margin: float = 0.1, clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """``start_margin``: the gate records a request as starting this long after it is asked,
        and the request waits for that instant. Without it a slow gate write would send the
        request later than recorded, and the next task's request, on time, would reach the
        shop less than the interval after it; with it that happens only for a write slower
        than the margin (logged as ``host_turn_late``)."""
        self._gate = gate
        self._margin = start_margin
        self._lease = lease_seconds
        self._max_wait = max_wait
        self._max_back_off = max_back_off
        self._default_back_off = default_back_off
        self._clock = clock
        self._sleep = sleep
        # One asker per host per process: the others queue here, in order, instead of each
        # writing to the table (only one of them could win the turn anyway).
        self._askers: dict[str, asyncio.Lock] = {}
        self._queued: dict[str, int] = {}
        # Set when a task of this process gives a slot back at the host: its asker asks again
        # at once instead of sleeping out a poll while a slot stands free.
        self._freed: dict[str, asyncio.Event] = {}

    def gate(self, limits: HostLimits) -> Callable[[str], AbstractAsyncContextManager[object]]:
        """The per-attempt gate for one job's fetches at ``limits``."""

        def for_url(url: str) -> AbstractAsyncContextManager[object]:
            return self.slot(url, limits)

        return for_url

    @asynccontextmanager
    async def slot(self, url: str, limits: HostLimits) -> AsyncIterator[SlotGrant]:
        host = host_of(url)
        grant = await self._acquire(host, limits)
        try:
            yield grant
        except (RateLimitedError, ServerError) as exc:
            status = 429 if isinstance(exc, RateLimitedError) else exc.status
            if status in _BACK_OFF_STATUSES:
                await self._back_off(host, exc)
            raise
        finally:
            await asyncio.shield(self._release(grant))

    async def _acquire(self, host: str, limits: HostLimits) -> SlotGrant:
        deadline = self._clock() + self._max_wait
        asker = self._askers.setdefault(host, asyncio.Lock())
        self._freed.setdefault(host, asyncio.Event())
        self._queued[host] = self._queued.get(host, 0) + 1
        try:
            try:
                async with asyncio.timeout(self._max_wait):
                    await asker.acquire()
            except TimeoutError:
                raise HostBusyError(
                    f"The shop {host} is busy (our per-shop pace is taken): the job waits in the queue and "
                    "tries again", retry_after=self._max_wait,
                ) from None
            try:
                return await self._ask(host, limits, deadline)
            finally:
                asker.release()
        finally:
            self._queued[host] -= 1
            if not self._queued[host]:  # nobody asking or queued for this host in this process
                del self._queued[host], self._askers[host], self._freed[host]

    async def _ask(self, host: str, limits: HostLimits, deadline: float) -> SlotGrant:
        refusals = 0
        while True:
            start = self._clock() + self._margin
            answer = await self._gate.acquire(host, limits, now=start, lease_seconds=self._lease)
            if isinstance(answer, SlotGrant):
                early = start - self._clock()
                if early > 0:
                    await self._sleep(early)
                elif early < -0.001:
                    _log.info("host_turn_late", host=host, late_ms=round(-early * 1000))
                return answer
            if self._clock() + answer.wait > deadline:
                why = "it asked us to slow down" if answer.backing_off else "our per-shop pace is taken"
                raise HostBusyError(
                    f"The shop {host} is busy ({why}): the job waits {answer.wait:.0f} s in the queue and tries again",
                    retry_after=answer.wait,
                )
            # Tasks refused together must not all ask again together (each ask is a table write,
            # and only one of them can win the turn): the more often refused, the wider the spread.
            refusals += 1
            spread = min(refusals, _SPREAD_TURNS) * min(limits.min_interval, FULL_POLL_SECONDS)
            delay = answer.wait + random.uniform(0, spread)
            if answer.slots_full:
                await self._pause(host, delay)
            else:
                await self._sleep(delay)

    async def _pause(self, host: str, seconds: float) -> None:
        """Sleep ``seconds``, or less when a task of this process gives back a slot at ``host``."""
        freed = self._freed[host]
        freed.clear()
        sleeper, waker = asyncio.ensure_future(self._sleep(seconds)), asyncio.ensure_future(freed.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            waker.cancel()

    async def _back_off(self, host: str, exc: RateLimitedError | ServerError) -> None:
        seconds = min(exc.retry_after if exc.retry_after is not None else self._default_back_off, self._max_back_off)
        exc.retry_after = seconds  # the queue's delay, too, is never longer than our cap
        try:
            await self._gate.back_off(host, until=self._clock() + seconds)
        except Exception:  # noqa: BLE001 - the shop's answer is the error that matters here
            _log.warning("host_back_off_not_recorded", host=host, exc_info=True)
        _log.info("host_backing_off", host=host, seconds=round(seconds, 1))

    async def _release(self, grant: SlotGrant) -> None:
        try:
            await self._gate.release(grant)
        except Exception:  # noqa: BLE001 - the slot's lease ends it anyway
            _log.warning("host_slot_not_released", host=grant.host, exc_info=True)
            return
        freed = self._freed.get(grant.host)
        if freed is not None:
            freed.set()
