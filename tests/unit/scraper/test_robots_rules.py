"""robots.txt through the safe fetcher: what it forbids fails the job with robots_disallowed,
no file allows all, a broken server means "not now", answers are cached per origin, and a
tenant's own shop can opt out."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from services.common.failure_codes import FailureCode
from services.common.fetching.fetch_errors import RobotsDisallowedError, ServerError
from services.common.fetching.safe_fetch import SafeFetcher
from services.scraper.politeness_settings import PolitenessSettings
from services.scraper.robots_rules import RobotsRules
from tests.unit.common.fetching.test_safe_fetch import make_settings

ROBOTS = "User-agent: *\nAllow: /\n\nUser-agent: ProductshotBot\nDisallow: /private/\nCrawl-delay: 4\n"


class RobotsShop:
    def __init__(self, body: str | None = ROBOTS, status: int = 200) -> None:
        self.body, self.status, self.hits = body, status, 0
        self.server: TestServer | None = None

    async def _robots(self, _: web.Request) -> web.StreamResponse:
        self.hits += 1
        return web.Response(text=self.body or "", status=self.status, content_type="text/plain")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/robots.txt", self._robots)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    def url(self, path: str) -> str:
        assert self.server is not None
        return str(self.server.make_url(path))


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def fetcher() -> AsyncIterator[SafeFetcher]:
    async with SafeFetcher(make_settings(retry_attempts=1)) as fetcher:
        yield fetcher


async def _shop(body: str | None = ROBOTS, status: int = 200) -> RobotsShop:
    shop = RobotsShop(body, status)
    await shop.start()
    return shop


async def test_a_disallowed_page_fails_with_robots_disallowed_and_words_the_shop_owner_can_act_on(
    fetcher: SafeFetcher,
) -> None:
    """/private/ is disallowed for ProductshotBot: RobotsDisallowedError (permanent, public reason naming the
    robots.txt and our agent); /p/1 is allowed and comes with the shop's Crawl-delay."""
    shop = await _shop()
    rules = RobotsRules(fetcher, PolitenessSettings())
    with pytest.raises(RobotsDisallowedError) as raised:
        await rules.check(shop.url("/private/lamp?id=1"), tenant="t", gate=None)
    error = raised.value
    assert error.permanent and error.public_reason and error.failure_code == FailureCode.ROBOTS_DISALLOWED
    assert shop.url("/robots.txt") in error.reason and "ProductshotBot" in error.reason
    assert "/private/lamp?id=1" in error.reason
    assert await rules.check(shop.url("/p/1"), tenant="t", gate=None) == 4.0
    assert shop.hits == 1  # one read per origin while cached


async def test_no_robots_file_allows_everything_and_the_answer_is_cached_until_it_expires(
    fetcher: SafeFetcher,
) -> None:
    """404 for robots.txt: every page is allowed (RFC 9309); read again only after robots_cache_seconds."""
    shop, clock = await _shop(status=404), Clock()
    rules = RobotsRules(fetcher, PolitenessSettings(robots_cache_seconds=60), clock=clock)
    assert await rules.check(shop.url("/private/x"), tenant="t", gate=None) is None
    assert await rules.check(shop.url("/p/2"), tenant="t", gate=None) is None
    assert shop.hits == 1
    clock.now += 61
    await rules.check(shop.url("/p/2"), tenant="t", gate=None)
    assert shop.hits == 2


async def test_a_broken_robots_server_means_not_now_and_is_not_cached(fetcher: SafeFetcher) -> None:
    """503 for robots.txt: the transient ServerError reaches the queue (retry later); the next check asks again."""
    shop = await _shop(status=503)
    rules = RobotsRules(fetcher, PolitenessSettings())
    for _ in range(2):
        with pytest.raises(ServerError):
            await rules.check(shop.url("/p/1"), tenant="t", gate=None)
    assert shop.hits == 2


async def test_a_tenant_that_opted_out_for_its_own_shop_is_not_held_by_robots_txt(fetcher: SafeFetcher) -> None:
    """SCRAPER_ROBOTS_OPT_OUT names 127.0.0.1 for tenant own: its job on /private/ passes without reading robots.txt;
    another tenant's job there is still refused."""
    shop = await _shop()
    rules = RobotsRules(fetcher, PolitenessSettings(robots_opt_out={"own": ("127.0.0.1",)}))
    assert await rules.check(shop.url("/private/x"), tenant="own", gate=None) is None
    assert shop.hits == 0
    with pytest.raises(RobotsDisallowedError):
        await rules.check(shop.url("/private/x"), tenant="someone-else", gate=None)
