"""robots.txt (RFC 9309): may our user agent fetch this URL? Read through the safe fetcher, cached.

One file per origin (scheme, host, port), fetched through the same fetcher and the same
per-host pace as the pages, parsed by Protego (Scrapy's parser: wildcards, ``$``, longest
match, ``Allow``), kept ``robots_cache_seconds`` for at most ``robots_cache_hosts`` origins.
As RFC 9309 says: a 4xx answer (no file) allows everything; a 5xx or an unreachable host
means "not now" (the error is transient and the job retries later); a file larger than
``robots_max_bytes`` is treated as absent and logged.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable

from protego import Protego
from yarl import URL

from services.common.fetching.fetch_errors import HttpStatusError, RobotsDisallowedError, TooLargeError
from services.common.fetching.safe_fetch import RequestGate, SafeFetcher
from services.common.logging import get_logger
from services.scraper.politeness_settings import PolitenessSettings

__all__ = ["RobotsRules"]

_log = get_logger(__name__)


class RobotsRules:
    def __init__(self, fetcher: SafeFetcher, settings: PolitenessSettings,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetcher = fetcher
        self._settings = settings
        self._clock = clock
        self._cache: OrderedDict[str, tuple[float, Protego | None]] = OrderedDict()
        self._loading: dict[str, asyncio.Future[Protego | None]] = {}

    async def check(self, url: str, *, tenant: str, gate: RequestGate | None) -> float | None:
        """The host's Crawl-delay for us (None when it sets none); RobotsDisallowedError when we may not."""
        parsed = URL(url)
        if self._settings.ignores_robots(tenant, parsed.host or ""):
            return None
        rules = await self._rules(parsed, gate)
        if rules is None:
            return None
        agent = self._settings.robots_user_agent
        if not rules.can_fetch(str(parsed), agent):
            robots = parsed.origin().with_path("/robots.txt")
            raise RobotsDisallowedError(
                f"The shop's robots.txt ({robots}) does not allow {agent} to fetch {parsed.path_qs}: ask the shop "
                f"to allow {agent} on its product pages, or submit the product facts with the job"
            )
        delay = rules.crawl_delay(agent)
        return float(delay) if delay else None

    async def _rules(self, url: URL, gate: RequestGate | None) -> Protego | None:
        origin = str(url.origin())
        cached = self._cache.get(origin)
        if cached is not None and cached[0] > self._clock():
            self._cache.move_to_end(origin)
            return cached[1]
        loading = self._loading.get(origin)
        if loading is not None:  # another job at this origin is reading it already: share its answer
            return await asyncio.shield(loading)
        future: asyncio.Future[Protego | None] = asyncio.get_running_loop().create_future()
        self._loading[origin] = future
        try:
            rules = await self._load(url.origin().with_path("/robots.txt"), gate)
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: a load nobody else waited for must not warn
            raise
        except BaseException:  # cancelled (shutdown): the jobs waiting on it are retried too
            future.cancel()
            raise
        finally:
            del self._loading[origin]
        future.set_result(rules)
        self._cache[origin] = (self._clock() + self._settings.robots_cache_seconds, rules)
        while len(self._cache) > self._settings.robots_cache_hosts:
            self._cache.popitem(last=False)
        return rules

    async def _load(self, robots: URL, gate: RequestGate | None) -> Protego | None:
        try:
            text = await self._fetcher.fetch_text(str(robots), self._settings.robots_max_bytes, gate)
        except HttpStatusError as exc:  # 4xx (429 is transient, not this): no rules
            if exc.status >= 500:
                raise
            return None
        except TooLargeError:
            _log.warning("robots_txt_too_large", url=str(robots), limit=self._settings.robots_max_bytes)
            return None
        return await asyncio.to_thread(Protego.parse, text)
