"""Shopify's public ``/products.json`` pages: product handles become product page URLs.

Only URLs are emitted, never facts: products.json carries no currency, so a price from it
would be a guess; the product page (JSON-LD with priceCurrency) is scraped instead.
Paging: ``?limit=250&page=N`` from 1 until a page holds no product (a shop may cap
``limit`` lower, so a short page is not taken as the end).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlsplit

from services.batcher.sources.spec import SourceError

__all__ = ["PAGE_SIZE", "page_url", "read_products_page", "looks_like_products_json", "shop_origin"]

PAGE_SIZE = 250


def shop_origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page_url(origin: str, page: int) -> str:
    return f"{origin}/products.json?limit={PAGE_SIZE}&page={page}"


def _load(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError("The shop's products.json is not valid JSON") from exc


def looks_like_products_json(body: bytes) -> bool:
    head = body.lstrip()[:1]
    if head != b"{":
        return False
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and isinstance(data.get("products"), list)


def read_products_page(body: bytes, origin: str) -> list[str]:
    """Product page URLs (``origin/products/<handle>``) of one products.json page."""
    data = _load(body)
    products = data.get("products") if isinstance(data, dict) else None
    if not isinstance(products, list):
        raise SourceError('The shop\'s products.json has no "products" list')
    urls: list[str] = []
    for product in products:
        handle = product.get("handle") if isinstance(product, dict) else None
        if isinstance(handle, str) and handle.strip():
            urls.append(f"{origin}/products/{quote(handle.strip(), safe='-_.~')}")
    return urls
