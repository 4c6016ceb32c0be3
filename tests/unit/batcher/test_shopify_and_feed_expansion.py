"""Shopify products.json paging and Merchant feed facts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from services.batcher.sources import ExpansionLimits, SourceError, SourceItem, SourceSpec, expand
from services.batcher.sources.merchant_feed import read_feed
from services.batcher.sources.safe_xml import parse_xml
from tests.unit.batcher.source_fakes import DictFetcher

BASE = "https://shop.example"
JSON = "application/json"


def _page(handles: list[str]) -> tuple[bytes, str]:
    return json.dumps({"products": [{"handle": h, "variants": [{"price": "1.00"}]} for h in handles]}).encode(), JSON


def _shop(total: int) -> DictFetcher:
    handles = [f"item-{i}" for i in range(total)]
    docs = {
        f"{BASE}/products.json?limit=250&page={n + 1}": _page(handles[n * 250 : n * 250 + 250])
        for n in range(total // 250 + 2)
    }
    docs[f"{BASE}/"] = (b"<!doctype html><html><body>shop</body></html>", "text/html")
    return DictFetcher(docs)


async def _items(spec: SourceSpec, fetcher: DictFetcher) -> list[SourceItem]:
    return [item async for page in expand(spec, fetcher, ExpansionLimits()) for item in page.items]


async def test_shopify_pages_until_an_empty_page_and_emits_urls_only() -> None:
    """600 products over three pages then an empty one; each becomes /products/<handle>, no facts."""
    fetcher = _shop(600)
    items = await _items(SourceSpec("shopify", f"{BASE}/collections/all"), fetcher)
    assert [i.productUrl for i in items] == [f"{BASE}/products/item-{n}" for n in range(600)]
    assert all(i.product is None for i in items)
    assert fetcher.requests[-1].endswith("page=4")


async def test_auto_on_a_shop_home_page_tries_products_json() -> None:
    """An HTML home page leads to the shop's /products.json."""
    items = await _items(SourceSpec("auto", f"{BASE}/"), _shop(10))
    assert len(items) == 10


async def test_auto_on_a_page_without_products_json_says_so() -> None:
    """A web page whose shop has no products.json fails in words."""
    fetcher = DictFetcher({f"{BASE}/": (b"<html></html>", "text/html")})
    with pytest.raises(SourceError, match="products.json"):
        await _items(SourceSpec("auto", f"{BASE}/"), fetcher)


FEED = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>
<item><g:id>1</g:id><g:title>Kettle</g:title><g:link>https://shop.example/p/1</g:link>
  <g:price>19.99 EUR</g:price><g:image_link>https://shop.example/1.jpg</g:image_link><g:brand>Acme</g:brand></item>
<item><g:title>Mug</g:title><link>https://shop.example/p/2</link><g:price>10.00 EUR</g:price>
  <g:sale_price>8.00 EUR</g:sale_price><g:image_link>https://shop.example/2.jpg</g:image_link></item>
<item><g:title>No currency</g:title><g:link>https://shop.example/p/3</g:link><g:price>5.00</g:price>
  <g:image_link>https://shop.example/3.jpg</g:image_link></item>
<item><g:title>Sale over</g:title><g:link>https://shop.example/p/4</g:link><g:price>30.00 USD</g:price>
  <g:sale_price>20.00 USD</g:sale_price>
  <g:sale_price_effective_date>2020-01-01T00:00Z/2020-02-01T00:00Z</g:sale_price_effective_date>
  <g:image_link>https://shop.example/4.jpg</g:image_link></item>
<item><g:title>Kettle again</g:title><g:link>https://shop.example/p/1</g:link></item>
</channel></rss>"""


def test_feed_entries_with_complete_priced_facts_become_product_items() -> None:
    """Title, image and a price with its currency make facts; a sale inside its window is the price."""
    items = [item for _link, item in read_feed(parse_xml(FEED, "feed"), datetime(2026, 1, 1, tzinfo=UTC))]
    assert items[0].product == {
        "name": "Kettle",
        "price": "19.99",
        "currency": "EUR",
        "imageUrl": "https://shop.example/1.jpg",
        "brand": "Acme",
    }
    assert items[0].options["metadata"] == {"productUrl": "https://shop.example/p/1", "id": "1"}
    assert items[1].product is not None and items[1].product["price"] == "8.00"
    assert items[1].product["regularPrice"] == "10.00"


def test_a_feed_price_without_currency_becomes_a_url_to_scrape() -> None:
    """ "5.00" names no currency: no facts, the page is scraped instead."""
    items = [item for _link, item in read_feed(parse_xml(FEED, "feed"))]
    assert items[2] == SourceItem(productUrl="https://shop.example/p/3")


def test_a_sale_outside_its_window_is_not_the_price() -> None:
    """An expired sale price leaves the regular price in place."""
    items = [item for _link, item in read_feed(parse_xml(FEED, "feed"), datetime(2026, 1, 1, tzinfo=UTC))]
    assert items[3].product is not None and items[3].product["price"] == "30.00"
    assert "regularPrice" not in items[3].product


async def test_auto_detects_a_feed_and_drops_the_duplicate_link() -> None:
    """The feed is recognised by its g: namespace; the link listed twice yields one item."""
    items = await _items(
        SourceSpec("auto", f"{BASE}/feed.xml"), DictFetcher({f"{BASE}/feed.xml": (FEED, "application/rss+xml")})
    )
    assert len(items) == 4


async def test_atom_feed_entries_are_read() -> None:
    """An Atom feed's <entry> with <link href> is read too."""
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
      <entry><title>Lamp</title><link href="https://shop.example/p/9"/><g:price>12.50 GBP</g:price>
      <g:image_link>https://shop.example/9.jpg</g:image_link></entry></feed>"""
    items = await _items(
        SourceSpec("feed", f"{BASE}/a.xml"), DictFetcher({f"{BASE}/a.xml": (body, "application/atom+xml")})
    )
    assert items[0].product is not None and items[0].product["currency"] == "GBP"


async def test_a_feed_source_that_is_not_a_merchant_feed_is_refused() -> None:
    """type feed on a sitemap says it is not a Merchant feed instead of yielding nothing."""
    body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://shop.example/p</loc></url></urlset>'
    with pytest.raises(SourceError, match="g: fields"):
        await _items(SourceSpec("feed", f"{BASE}/s.xml"), DictFetcher({f"{BASE}/s.xml": (body, "application/xml")}))
