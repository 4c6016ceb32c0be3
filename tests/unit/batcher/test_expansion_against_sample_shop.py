"""End to end on 127.0.0.1: ``expand`` through the real safe fetcher against the sample shop."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from localdev.sample_shop import start_sample_shop
from services.batcher.sources import ExpansionLimits, SourceItem, SourceSpec, expand
from services.batcher.sources.safe_source_fetcher import SafeSourceFetcher
from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher

PRODUCTS = 1000


@pytest.fixture
async def shop() -> AsyncIterator[str]:
    base_url, runner = await start_sample_shop(products=PRODUCTS)
    try:
        yield base_url
    finally:
        await runner.cleanup()


async def _items(spec: SourceSpec) -> list[SourceItem]:
    # Loopback is refused by default; tests allow exactly 127.0.0.1, as the fetcher tests do.
    settings = FetchSettings(allow_networks="127.0.0.1/32", retry_attempts=1)  # type: ignore[arg-type]
    async with SafeFetcher(settings) as fetcher:
        return [i async for page in expand(spec, SafeSourceFetcher(fetcher), ExpansionLimits()) for i in page.items]


async def test_the_sitemap_yields_exactly_the_shops_products(shop: str) -> None:
    """Index → gzip'd child sitemaps, non-product pages filtered by pattern: 1,000 unique products."""
    items = await _items(SourceSpec("auto", f"{shop}/sitemap.xml", pattern="^/products/"))
    urls = [i.productUrl for i in items]
    assert len(urls) == PRODUCTS == len(set(urls))
    assert all(u is not None and u.startswith(f"{shop}/products/") for u in urls)


async def test_products_json_yields_exactly_the_shops_products(shop: str) -> None:
    """Paged products.json (250 a page, until empty) from the shop's home page: 1,000 URLs."""
    items = await _items(SourceSpec("auto", f"{shop}/"))
    assert len({i.productUrl for i in items}) == len(items) == PRODUCTS


async def test_the_feed_yields_facts_for_every_product(shop: str) -> None:
    """The Merchant feed: 1,000 product-facts items with EUR prices, sale prices applied."""
    items = await _items(SourceSpec("feed", f"{shop}/feed.xml"))
    assert len(items) == PRODUCTS
    assert all(i.product is not None and i.product["currency"] == "EUR" for i in items)
    assert sum(1 for i in items if i.product and "regularPrice" in i.product) == PRODUCTS // 10


async def test_the_shop_records_peak_in_flight_per_host(shop: str) -> None:
    """/_stats counts requests per host; the bot-wall product answers 403."""
    async with aiohttp.ClientSession() as session:
        await session.post(f"{shop}/_stats/reset")
        feed = await _items(SourceSpec("feed", f"{shop}/feed.xml"))
        link = str(feed[7].options["metadata"]["productUrl"])
        async with session.get(link) as response:
            assert response.status == 403
        async with session.get(f"{shop}/_stats") as response:
            stats = await response.json()
    (host,) = stats.values()
    assert host["requests"] == 2 and host["peakInFlight"] == 1 and len(host["timestamps"]) == 2
