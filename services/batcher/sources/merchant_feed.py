"""Google Merchant Center feeds (RSS 2.0 ``<item>`` or Atom ``<entry>``, ``g:`` fields).

A feed is the shop's own declared data, so an entry with a title, an image and a price
with its currency becomes a product-facts item (no page scrape). An entry missing any of
those, or whose price cannot be read for sure, becomes a plain productUrl item instead:
a wrong fact is worse than a missing one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from services.batcher.sources.safe_xml import local_name
from services.batcher.sources.spec import SourceItem
from services.common.extraction.currency import normalize_currency
from services.common.extraction.price import format_amount, parse_markup_amount

__all__ = ["GOOGLE_NS", "is_merchant_feed", "read_feed"]

GOOGLE_NS = "http://base.google.com/ns/1.0"


def is_merchant_feed(root: etree._Element) -> bool:
    if local_name(root) not in ("rss", "feed"):
        return False
    return GOOGLE_NS in (root.nsmap or {}).values() or root.find(f".//{{{GOOGLE_NS}}}*") is not None


def _fields(entry: etree._Element) -> dict[str, str]:
    """Each child's text by local name; ``g:`` fields win over plain ones of the same name."""
    values: dict[str, str] = {}
    for child in entry:
        name = local_name(child)
        text = (child.text or "").strip()
        if name == "link" and not text:
            text = (child.get("href") or "").strip()  # Atom <link href=...>
        if not text:
            continue
        if etree.QName(child).namespace == GOOGLE_NS or name not in values:
            values[name] = text
    return values


def _price(text: str | None) -> tuple[str, str] | None:
    """ "19.99 EUR" -> ("19.99", "EUR"); None unless both parts are certain."""
    if not text:
        return None
    parts = text.split()
    if len(parts) != 2:
        return None
    currency = normalize_currency(parts[1])
    if currency is None or len(parts[1]) != 3:
        return None
    amount = parse_markup_amount(parts[0], currency)
    if amount is None or amount <= 0:
        return None
    return format_amount(amount, currency), currency


def _sale_applies(window: str | None, now: datetime) -> bool:
    """``g:sale_price_effective_date`` is "start/end" (ISO 8601); unreadable means no."""
    if not window:
        return True
    try:
        start, end = (datetime.fromisoformat(part.strip()) for part in window.split("/", 1))
    except ValueError:
        return False
    if start.tzinfo is None or end.tzinfo is None:
        return False
    return start <= now <= end


def _facts(values: dict[str, str], now: datetime) -> dict[str, Any] | None:
    name, image = values.get("title"), values.get("image_link")
    price = _price(values.get("price"))
    if not name or not image or price is None:
        return None
    product: dict[str, Any] = {"name": name, "price": price[0], "currency": price[1], "imageUrl": image}
    sale_text = values.get("sale_price")
    if sale_text:
        sale = _price(sale_text)
        if sale is None or sale[1] != price[1]:
            return None  # a sale we cannot read for sure: let the page say what is charged
        if _sale_applies(values.get("sale_price_effective_date"), now) and Decimal(sale[0]) < Decimal(price[0]):
            product.update(price=sale[0], regularPrice=price[0])
    if values.get("brand"):
        product["brand"] = values["brand"]
    return product


def read_feed(root: etree._Element, now: datetime | None = None) -> list[tuple[str, SourceItem]]:
    """(product link, item) for each entry with a link, in document order."""
    moment = now or datetime.now(UTC)
    entries = [el for el in root.iter() if local_name(el) in ("item", "entry")]
    out: list[tuple[str, SourceItem]] = []
    for entry in entries:
        values = _fields(entry)
        link = values.get("link")
        if not link:
            continue
        facts = _facts(values, moment)
        if facts is None:
            out.append((link, SourceItem(productUrl=link)))
        else:
            metadata = {"productUrl": link, **({"id": values["id"]} if values.get("id") else {})}
            out.append((link, SourceItem(product=facts, options={"metadata": metadata})))
    return out
