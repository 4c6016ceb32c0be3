"""Rate limits and quotas that hold across every API task, on the shared WindowCounter.

requestsPerSecond   per API key (keyless local callers: per client address), 60 s windows,
                    spent from leased tokens (request_leases.py)
jobsPerDay          per tenant, per UTC day, counted when a job is accepted (create, retry,
                    seed), spent from leased tokens too; a batch of items counts its jobs at
                    once; a source batch's jobs are counted by the batch worker as it expands
                    them (daily_quota travels on the batch)
jobsInFlight        per tenant: unfinished jobs of the last job-TTL hours (a check, not a reservation)
authFailures        failed key checks per client address, per minute

A key's own ``limits`` (auth.KeyLimits) override the defaults. The client address is what
uvicorn gives: the ``X-Forwarded-For`` address only when the peer is a trusted proxy
(FORWARDED_ALLOW_IPS), else the peer itself, so a forged header moves no bucket.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.api.auth import Caller
from services.api.request_leases import RequestLeases
from services.common.errors import DependencyUnavailableError
from services.common.job_store import JobStore
from services.common.logging import get_logger
from services.common.window_counter import DAY_SECONDS, WindowCounter, daily_jobs_bucket

__all__ = ["Limiter", "LimitDefaults", "LimitExceededError"]

_log = get_logger(__name__)
_MINUTE = 60
#: The request rate holds over windows this long (a key may spend a minute's budget in a
#: burst; the per-task token bucket bounds bursts on each task).
_RATE_WINDOW = 60
_IN_FLIGHT_RETRY = 10.0  # seconds: jobs finish in about that time


class LimitExceededError(Exception):
    """A rate limit or quota is used up: 429 with Retry-After, naming ``limit``."""

    def __init__(self, limit: str, detail: str, retry_after: float) -> None:
        super().__init__(detail)
        self.limit = limit
        self.detail = detail
        self.retry_after = retry_after

    @property
    def retry_after_header(self) -> str:
        return str(max(1, math.ceil(self.retry_after)))


@dataclass(frozen=True, slots=True)
class LimitDefaults:
    requests_per_second: float = 20.0  # 0: no shared request limit
    jobs_per_day: int = 1000  # 0: no daily quota
    jobs_in_flight: int = 0  # 0: no concurrency quota (a key's own limits may set one)
    auth_failures_per_minute: int = 10  # 0: failed key checks are not throttled


class Limiter:
    def __init__(
        self,
        counter: WindowCounter,
        defaults: LimitDefaults,
        *,
        store: JobStore | None = None,
        job_ttl_hours: int = 24,
        clock: Callable[[], float] = time.time,
        max_blocked: int = 10_000,
    ) -> None:
        self._counter = counter
        self._defaults = defaults
        self._leases = RequestLeases(counter, clock)
        self._store = store
        self._job_ttl = timedelta(hours=job_ttl_hours)
        self._clock = clock
        self._max_blocked = max_blocked
        # Addresses this task saw go over the auth-failure limit, until their window ends:
        # refused before any key lookup (a right guess must not get through either), with no
        # store call. Other tasks learn it at their first failure from that address.
        self._blocked: OrderedDict[str, float] = OrderedDict()

    async def request(self, caller: Caller) -> None:
        """Count one request for ``caller``; LimitExceededError when its per-second limit is used up."""
        rate = caller.limits.requestsPerSecond or self._defaults.requests_per_second
        if rate <= 0:
            return
        try:
            wait = await self._leases.take(
                f"rps:{caller.bucket}", limit=max(1, math.floor(rate * _RATE_WINDOW)), window_seconds=_RATE_WINDOW,
                spread=True,
            )
        except DependencyUnavailableError as exc:
            # Open, not closed: the per-task token bucket still bounds a runaway client, and a
            # counter outage must not refuse reads of jobs that exist.
            _log.warning("rate_limit_unavailable", error=str(exc))
            return
        if wait > 0:
            raise LimitExceededError(
                "requestsPerSecond", f"More than {rate:g} requests per second for this API key; slow down.", wait
            )

    async def job(self, caller: Caller) -> None:
        """Count one accepted job for the caller's tenant; LimitExceededError past its quotas.

        A store outage leaves as DependencyUnavailableError (503): paid work is not started unmetered.
        """
        await self._check_in_flight(caller)
        quota = self.daily_quota(caller)
        if quota <= 0:
            return
        wait = await self._leases.take(daily_jobs_bucket(caller.tenant), limit=quota, window_seconds=DAY_SECONDS)
        if wait > 0:
            raise LimitExceededError(
                "jobsPerDay", f"The daily quota of {quota} jobs is used up; it resets at 00:00 UTC.", wait
            )

    def daily_quota(self, caller: Caller) -> int:
        """The tenant's daily job quota in force (0: none): a source batch carries it to the batch
        worker, which counts the jobs it expands on the same ``jobs:<tenant>`` bucket."""
        return max(0, caller.limits.jobsPerDay or self._defaults.jobs_per_day)

    async def jobs(self, caller: Caller, count: int) -> None:
        """Count a batch's ``count`` jobs at once against the tenant's daily quota (one counter
        write; all or nothing). No in-flight check: the batch worker releases them at its pace."""
        quota = self.daily_quota(caller)
        if quota <= 0 or count <= 0:
            return
        wait = await self._counter.hit(daily_jobs_bucket(caller.tenant), limit=quota, window_seconds=DAY_SECONDS,
                                       now=self._clock(), cost=count)
        if wait > 0:
            raise LimitExceededError(
                "jobsPerDay",
                f"This batch's {count:,} jobs would pass the daily quota of {quota:,} jobs; it resets at "
                "00:00 UTC. Send fewer items, or ask for a higher quota.",
                wait,
            )

    async def _check_in_flight(self, caller: Caller) -> None:
        most = caller.limits.jobsInFlight or self._defaults.jobs_in_flight
        if most <= 0 or self._store is None:
            return
        # Older jobs are gone (table TTL) or failed by the sweeper: no need to read them.
        since = datetime.fromtimestamp(self._clock(), UTC) - self._job_ttl
        running = await self._store.count_unfinished_for_tenant(
            caller.tenant, created_after=since.isoformat(timespec="milliseconds").replace("+00:00", "Z"), at_most=most
        )
        if running >= most:
            raise LimitExceededError(
                "jobsInFlight", f"{most} jobs of this tenant are still running; wait for one to finish.",
                _IN_FLIGHT_RETRY,
            )

    def auth_blocked(self, client: str) -> None:
        """LimitExceededError when ``client`` is over its failed-authentication limit (no store call)."""
        until = self._blocked.get(client)
        if until is None:
            return
        wait = until - self._clock()
        if wait <= 0:
            del self._blocked[client]
            return
        raise self._auth_error(wait)

    async def auth_failure(self, client: str) -> None:
        """Count a failed key check from ``client``; LimitExceededError once over the limit."""
        limit = self._defaults.auth_failures_per_minute
        if limit <= 0:
            return
        now = self._clock()
        try:
            wait = await self._counter.hit(f"authfail:{client}", limit=limit, window_seconds=_MINUTE, now=now)
        except DependencyUnavailableError as exc:
            _log.warning("auth_throttle_unavailable", error=str(exc))
            return
        if wait > 0:
            self._blocked[client] = now + wait
            while len(self._blocked) > self._max_blocked:
                self._blocked.popitem(last=False)
            _log.warning("auth_failures_throttled", client=client)
            raise self._auth_error(wait)

    @staticmethod
    def _auth_error(wait: float) -> LimitExceededError:
        return LimitExceededError(
            "authFailures", "Too many failed API key checks from this address; try again later.", wait
        )
