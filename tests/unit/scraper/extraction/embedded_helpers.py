"""Reading a small page through the embedded readers, for the per-family tests."""

from __future__ import annotations

from typing import Any

from services.common.extraction.currency import LocaleHints
from services.common.extraction.document import parse_document
from services.common.extraction.embedded import read_embedded

US = LocaleHints("en", "US")


def embedded_offers(
    html: str, url: str = "https://shop.example/products/x", hints: LocaleHints = US
) -> list[dict[str, Any]]:
    """Every offer the embedded readers find, each with its product's source, path and name."""
    doc = parse_document(html, url)
    found = []
    for product in read_embedded(doc.root, hints):
        for offer in product.node["offers"]:
            found.append(
                {**offer, "source": product.source, "product": product.node.get("name"), "detail": product.detail}
            )
    return found


def page(body: str, head: str = "", body_class: str = "", lang: str = "en-US") -> str:
    return f"<html lang='{lang}'><head>{head}</head><body class='{body_class}'>{body}</body></html>"
