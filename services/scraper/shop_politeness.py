"""What the scraper does before any request to a shop: robots.txt, then the host's pace.

``admit`` answers the ``RequestGate`` the safe fetcher wraps around each attempt at a URL,
once robots.txt has allowed it (RobotsDisallowedError otherwise), at the job's pace (the
default or its batch's override within limits, slowed to the shop's Crawl-delay).
"""

from __future__ import annotations

from services.common.fetching.safe_fetch import RequestGate
from services.common.host_pacing import HostPacer
from services.common.messages import PolitenessOverride
from services.scraper.politeness_settings import PolitenessSettings
from services.scraper.robots_rules import RobotsRules

__all__ = ["ShopPoliteness"]


class ShopPoliteness:
    def __init__(self, settings: PolitenessSettings, pacer: HostPacer, robots: RobotsRules) -> None:
        self._settings = settings
        self._pacer = pacer
        self._robots = robots

    async def admit(self, url: str, *, tenant: str, override: PolitenessOverride | None) -> RequestGate:
        """The gate for fetching ``url`` for a job of ``tenant``; raises when robots.txt forbids it."""
        gate = self._pacer.gate(self._settings.host_limits(override))
        crawl_delay = await self._robots.check(url, tenant=tenant, gate=gate)
        if crawl_delay is None:
            return gate
        return self._pacer.gate(self._settings.host_limits(override, crawl_delay))
