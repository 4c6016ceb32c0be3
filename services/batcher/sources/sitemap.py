"""Sitemaps (sitemaps.org): a ``urlset`` of page URLs or a ``sitemapindex`` of sitemaps."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from services.batcher.sources.safe_xml import local_name
from services.batcher.sources.spec import SourceError

__all__ = ["SitemapDocument", "read_sitemap", "is_sitemap"]


@dataclass(frozen=True, slots=True)
class SitemapDocument:
    is_index: bool
    locations: list[str]  # child sitemap URLs (index) or page URLs (urlset), in order


def is_sitemap(root: etree._Element) -> bool:
    return local_name(root) in ("urlset", "sitemapindex")


def read_sitemap(root: etree._Element) -> SitemapDocument:
    """The ``<loc>`` of each ``<url>``/``<sitemap>`` entry, in document order."""
    kind = local_name(root)
    if kind not in ("urlset", "sitemapindex"):
        raise SourceError(f"The sitemap's root element is <{kind}>, not <urlset> or <sitemapindex>")
    entry = "sitemap" if kind == "sitemapindex" else "url"
    locations: list[str] = []
    for child in root:
        if local_name(child) != entry:
            continue
        for part in child:
            if local_name(part) == "loc" and part.text and part.text.strip():
                locations.append(part.text.strip())
                break
    return SitemapDocument(is_index=kind == "sitemapindex", locations=locations)
