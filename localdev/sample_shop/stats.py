"""Per-host request accounting, so a test can check politeness at the server itself."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = ["HostStats", "RequestStats"]


@dataclass(slots=True)
class HostStats:
    in_flight: int = 0
    peak_in_flight: int = 0
    timestamps: list[float] = field(default_factory=list)  # wall-clock start of each request
    paths: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # requests per path


class RequestStats:
    """Counts each request by its Host header; ``/_stats`` itself is not counted."""

    def __init__(self) -> None:
        self.hosts: dict[str, HostStats] = defaultdict(HostStats)

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path.startswith("/_stats"):
            return await handler(request)
        host = self.hosts[request.host]
        host.in_flight += 1
        host.peak_in_flight = max(host.peak_in_flight, host.in_flight)
        host.timestamps.append(time.time())
        host.paths[request.path] += 1
        try:
            return await handler(request)
        finally:
            host.in_flight -= 1

    def snapshot(self) -> dict[str, Any]:
        return {
            name: {
                "requests": len(h.timestamps),
                "inFlight": h.in_flight,
                "peakInFlight": h.peak_in_flight,
                "timestamps": h.timestamps,
                "paths": dict(h.paths),
            }
            for name, h in self.hosts.items()
        }

    def reset(self) -> None:
        self.hosts.clear()
