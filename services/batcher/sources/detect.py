"""Telling a source's kind from the document itself (``type: auto``).

Rules, in order: a gzip body is inflated first; XML whose root is ``urlset`` or
``sitemapindex`` is a sitemap; XML whose root is ``rss`` or ``feed`` and uses the Google
``g:`` namespace is a Merchant feed; JSON with a ``products`` list is a Shopify
products.json page; an HTML page is taken as a shop's home page and its
``/products.json`` is tried next. Anything else is refused with words.
"""

from __future__ import annotations

from enum import StrEnum

from services.batcher.sources.merchant_feed import is_merchant_feed
from services.batcher.sources.safe_xml import parse_xml
from services.batcher.sources.shopify import looks_like_products_json
from services.batcher.sources.sitemap import is_sitemap
from services.batcher.sources.spec import SourceError

__all__ = ["SourceKind", "detect_kind"]


class SourceKind(StrEnum):
    SITEMAP = "sitemap"
    FEED = "feed"
    SHOPIFY = "shopify"
    SHOP_HOME = "home"


def detect_kind(body: bytes, content_type: str) -> SourceKind:
    head = body.lstrip()[:512].lower()
    if head.startswith(b"{"):
        if looks_like_products_json(body):
            return SourceKind.SHOPIFY
        raise SourceError('The address returned JSON without a "products" list')
    if "html" in content_type or head.startswith((b"<!doctype html", b"<html")):
        return SourceKind.SHOP_HOME
    if head.startswith(b"<"):
        root = parse_xml(body, "source document")
        if is_sitemap(root):
            return SourceKind.SITEMAP
        if is_merchant_feed(root):
            return SourceKind.FEED
        raise SourceError("The address returned XML that is neither a sitemap nor a Google Merchant feed")
    raise SourceError("Could not tell what the address returned: give a sitemap, feed or shop URL")
