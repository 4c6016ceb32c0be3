"""Sitemap expansion: nesting, gzip, patterns, hostile XML, limits and resuming."""

from __future__ import annotations

import gzip

import pytest

from services.batcher.sources import ExpansionLimits, SourceError, SourceLimitError, SourceSpec, expand
from services.batcher.sources.expand import PAGE_ITEMS
from tests.unit.batcher.source_fakes import DictFetcher, index, urlset

XML = "application/xml"
BASE = "https://shop.example"


async def _collect(spec: SourceSpec, fetcher: DictFetcher, limits: ExpansionLimits | None = None) -> list[str]:
    urls: list[str] = []
    async for page in expand(spec, fetcher, limits or ExpansionLimits()):
        urls += [item.productUrl or "" for item in page.items]
    return urls


def _nested_shop() -> DictFetcher:
    products_a = [f"{BASE}/products/a{i}" for i in range(3)]
    products_b = [f"{BASE}/products/b{i}" for i in range(2)] + [f"{BASE}/products/a0"]
    return DictFetcher(
        {
            f"{BASE}/sitemap.xml": (index([f"{BASE}/inner.xml", f"{BASE}/pages.xml"]), XML),
            f"{BASE}/inner.xml": (index([f"{BASE}/a.xml.gz", f"{BASE}/b.xml"]), XML),
            f"{BASE}/a.xml.gz": (gzip.compress(urlset(products_a)), "application/x-gzip"),
            f"{BASE}/b.xml": (urlset(products_b), XML),
            f"{BASE}/pages.xml": (urlset([f"{BASE}/about", f"{BASE}/blog/x"]), XML),
        }
    )


async def test_a_nested_gzip_index_yields_each_product_once_in_order_filtered_by_pattern() -> None:
    """Index → index → gzip'd urlset is walked in order; the pattern drops non-product pages; the
    product listed twice is emitted once."""
    urls = await _collect(SourceSpec("sitemap", f"{BASE}/sitemap.xml", pattern="^/products/"), _nested_shop())
    assert urls == [f"{BASE}/products/{n}" for n in ("a0", "a1", "a2", "b0", "b1")]


async def test_auto_detects_a_sitemap_index() -> None:
    """``auto`` reads the index as a sitemap and, without a pattern, keeps every page."""
    urls = await _collect(SourceSpec("auto", f"{BASE}/sitemap.xml"), _nested_shop())
    assert len(urls) == 7 and f"{BASE}/about" in urls


async def test_an_entity_declaration_is_refused_before_parsing() -> None:
    """A DTD with entities (XXE / billion laughs) fails with a SourceError naming the reason."""
    body = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>&x;</loc></url></urlset>"
    )
    with pytest.raises(SourceError, match="DTD or entities"):
        await _collect(SourceSpec("sitemap", f"{BASE}/s.xml"), DictFetcher({f"{BASE}/s.xml": (body, XML)}))


async def test_broken_xml_is_a_source_error_in_words() -> None:
    """Malformed XML says it is not well-formed, and the error is permanent."""
    fetcher = DictFetcher({f"{BASE}/s.xml": (b"<urlset><url><loc>x</url>", XML)})
    with pytest.raises(SourceError, match="not well-formed XML") as caught:
        await _collect(SourceSpec("sitemap", f"{BASE}/s.xml"), fetcher)
    assert caught.value.permanent


async def test_a_gzip_bomb_hits_the_byte_limit_not_memory() -> None:
    """A small gzip file inflating past the byte budget raises SourceLimitError."""
    bomb = gzip.compress(b"<urlset>" + b" " * 20_000_000 + b"</urlset>")
    assert len(bomb) < 100_000
    fetcher = DictFetcher({f"{BASE}/s.xml.gz": (bomb, "application/gzip")})
    with pytest.raises(SourceLimitError, match="bytes"):
        await _collect(SourceSpec("sitemap", f"{BASE}/s.xml.gz"), fetcher, ExpansionLimits(max_bytes=1_000_000))


async def test_an_index_nested_too_deep_is_refused() -> None:
    """Indexes pointing to indexes past the depth bound fail instead of walking forever."""
    docs = {f"{BASE}/i{n}.xml": (index([f"{BASE}/i{n + 1}.xml"]), XML) for n in range(10)}
    with pytest.raises(SourceError, match="nests deeper"):
        await _collect(SourceSpec("sitemap", f"{BASE}/i0.xml"), DictFetcher(docs))


async def test_the_item_limit_ends_the_source_normally() -> None:
    """maxItems stops the expansion with a final None cursor, not an error."""
    urls = await _collect(SourceSpec("sitemap", f"{BASE}/sitemap.xml", max_items=4), _nested_shop())
    assert len(urls) == 4


async def test_the_time_limit_raises() -> None:
    """A run with no time left raises SourceLimitError."""
    with pytest.raises(SourceLimitError, match="seconds"):
        await _collect(SourceSpec("sitemap", f"{BASE}/sitemap.xml"), _nested_shop(), ExpansionLimits(max_seconds=0))


async def test_a_missing_sitemap_is_a_source_error_naming_the_url() -> None:
    """A 404 becomes a permanent SourceError that names the address."""
    with pytest.raises(SourceError, match="nothing.xml"):
        await _collect(SourceSpec("sitemap", f"{BASE}/nothing.xml"), DictFetcher({}))


async def test_resuming_from_each_cursor_gives_exactly_the_remaining_items() -> None:
    """Stopping after any page and resuming from its cursor yields the rest, no more, no less."""
    products = [f"{BASE}/products/p{i}" for i in range(PAGE_ITEMS * 2 + 7)]
    fetcher = DictFetcher(
        {
            f"{BASE}/sitemap.xml": (index([f"{BASE}/1.xml", f"{BASE}/2.xml"]), XML),
            f"{BASE}/1.xml": (urlset(products[: PAGE_ITEMS + 300]), XML),
            f"{BASE}/2.xml": (urlset(products[PAGE_ITEMS:]), XML),  # overlaps the first by 300
        }
    )
    spec = SourceSpec("sitemap", f"{BASE}/sitemap.xml")
    pages = [page async for page in expand(spec, fetcher, ExpansionLimits())]
    assert [u for p in pages for u in (i.productUrl for i in p.items)] == products
    assert pages[-1].cursor is None
    for n, page in enumerate(pages[:-1]):
        assert page.cursor is not None
        before = [i.productUrl for p in pages[: n + 1] for i in p.items]
        after = [i.productUrl async for p in expand(spec, fetcher, ExpansionLimits(), page.cursor) for i in p.items]
        assert before + after == products


async def test_a_damaged_cursor_is_a_source_error() -> None:
    """A cursor that does not decode is refused in words."""
    with pytest.raises(SourceError, match="cursor"):
        await _collect_cursor("not-a-cursor")


async def _collect_cursor(cursor: str) -> None:
    async for _page in expand(SourceSpec("sitemap", f"{BASE}/s.xml"), DictFetcher({}), ExpansionLimits(), cursor):
        pass


async def test_the_byte_limit_counts_every_document_together() -> None:
    """Documents that each fit but together pass the byte budget raise SourceLimitError."""
    fetcher = _nested_shop()
    total = sum(len(body) for body, _type in fetcher.documents.values())
    with pytest.raises(SourceLimitError, match="bytes"):
        await _collect(SourceSpec("sitemap", f"{BASE}/sitemap.xml"), fetcher, ExpansionLimits(max_bytes=total // 2))
