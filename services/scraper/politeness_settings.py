"""How politely the scraper treats each shop: per-host pace, back-off, robots.txt (``SCRAPER_*``).

Read once at start-up; docs/fetching.md says why each default is what it is. A scrape
request may carry a batch's own pace (``politeness`` in the message): ``host_limits`` clamps
it to the ``*_LIMIT`` values here, so an override can slow a batch down freely but speed it
up only as far as the operator allows.
"""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.host_gate import HostLimits
from services.common.messages import PolitenessOverride

__all__ = ["PolitenessSettings"]


class PolitenessSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCRAPER_", extra="ignore", frozen=True)

    #: Requests one shop host gets at once from all scraper tasks together.
    host_max_in_flight: int = Field(default=2, ge=1, le=16)
    #: Requests started per second at one shop host, all tasks together (spaced 1/R apart).
    host_requests_per_second: float = Field(default=1.0, gt=0, le=50)
    #: The most a batch's ``politeness`` override may ask for.
    host_max_in_flight_limit: int = Field(default=4, ge=1, le=16)
    host_requests_per_second_limit: float = Field(default=4.0, gt=0, le=50)
    #: Requests start this long after their turn is recorded in the shared table, so a slow
    #: table write cannot bring two requests closer than the interval (must exceed its latency).
    host_start_margin: float = Field(default=0.1, ge=0, le=2)
    #: Longest a job waits in the worker for its turn at a host; then it goes back to the queue.
    host_slot_wait: float = Field(default=20.0, ge=0, le=300)
    #: Cap on a shop's Retry-After (429/503) that every task then waits out.
    host_max_back_off: float = Field(default=600.0, ge=1, le=43_200)
    #: Back-off after a 429/503 without a usable Retry-After.
    host_default_back_off: float = Field(default=30.0, ge=1, le=43_200)
    #: Obey robots.txt (RFC 9309). Off only for a deployment that scrapes its own shops.
    robots_txt: bool = True
    #: The product token robots.txt groups are matched against.
    robots_user_agent: str = Field(default="ProductshotBot", min_length=1)
    robots_cache_seconds: float = Field(default=3600.0, ge=0)
    robots_cache_hosts: int = Field(default=1024, ge=1)
    #: robots.txt files larger than this are treated as absent (RFC 9309 asks for at least 500 KiB).
    robots_max_bytes: int = Field(default=512 * 1024, ge=1024)
    #: A robots.txt Crawl-delay slows the host down to at most one request per this many seconds.
    robots_max_crawl_delay: float = Field(default=60.0, ge=0)
    #: Tenants whose jobs ignore robots.txt on their own shop's hosts: JSON ``{"tenant": ["shop.example"]}``
    #: (a host also covers its subdomains). Set only after checking the tenant runs that shop.
    robots_opt_out: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _defaults_within_limits(self) -> PolitenessSettings:
        if self.host_max_in_flight > self.host_max_in_flight_limit:
            raise ValueError("SCRAPER_HOST_MAX_IN_FLIGHT is above SCRAPER_HOST_MAX_IN_FLIGHT_LIMIT")
        if self.host_requests_per_second > self.host_requests_per_second_limit:
            raise ValueError("SCRAPER_HOST_REQUESTS_PER_SECOND is above SCRAPER_HOST_REQUESTS_PER_SECOND_LIMIT")
        return self

    def host_limits(self, override: PolitenessOverride | None, crawl_delay: float | None = None) -> HostLimits:
        """The pace of one job's requests: the default, or the batch's override within the limits,
        never faster than the shop's robots.txt Crawl-delay (capped at ``robots_max_crawl_delay``)."""
        slots = (override.max_in_flight_per_host if override else None) or self.host_max_in_flight
        rate = (override.requests_per_second_per_host if override else None) or self.host_requests_per_second
        rate = min(rate, self.host_requests_per_second_limit)
        if crawl_delay and crawl_delay > 0 and self.robots_max_crawl_delay > 0:
            rate = min(rate, 1.0 / min(crawl_delay, self.robots_max_crawl_delay))
        return HostLimits(max_in_flight=min(slots, self.host_max_in_flight_limit), requests_per_second=rate)

    def ignores_robots(self, tenant: str, host: str) -> bool:
        """Whether ``tenant`` opted out of robots.txt for ``host`` (its own shop)."""
        if not self.robots_txt:
            return True
        host = host.lower().rstrip(".")
        return any(host == own or host.endswith("." + own) for own in
                   (h.lower().rstrip(".") for h in self.robots_opt_out.get(tenant, ())))
