"""OpenGraph, `product:` and Twitter meta tags, plus `itemprop` metas outside any item."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .record import OfferRecord, ProductRecord
from .schema import availability_value
from .text import clean_text

__all__ = ["MetaTags", "read_meta"]

_METAS = etree.XPath("//meta[@content]")
_PRICE_KEYS = ("product:price:amount", "og:price:amount", "product:sale_price:amount")
_CURRENCY_KEYS = ("product:price:currency", "og:price:currency", "product:sale_price:currency")


@dataclass(slots=True)
class MetaTags:
    values: dict[str, list[str]] = field(default_factory=dict)

    def get(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.values.get(key, ()):
                text = clean_text(value)
                if text:
                    return text
        return None

    def all(self, *keys: str) -> list[str]:
        return [v.strip() for key in keys for v in self.values.get(key, ()) if v.strip()]

    @property
    def is_product_page(self) -> bool:
        return "product" in (self.get("og:type") or "").lower() or bool(self.get(*_PRICE_KEYS))

    def record(self) -> ProductRecord:
        sale = self.get("product:sale_price:amount")
        price = sale or self.get("product:price:amount", "og:price:amount", "itemprop:price")
        regular = self.get("product:original_price:amount")
        if sale and not regular:
            regular = self.get("product:price:amount")
        offers = []
        if price:
            offers.append(
                OfferRecord(
                    price=price,
                    currency=self.get(*_CURRENCY_KEYS, "itemprop:priceCurrency"),
                    regular=regular if regular != price else None,
                    availability=availability_value(
                        self.get("product:availability", "og:availability", "itemprop:availability")
                    ),
                )
            )
        site = self.get("og:site_name")
        title = self.get("og:title", "twitter:title", "itemprop:name")
        if title and site:
            for sep in (" | ", " - ", " – ", " — ", " :: "):
                if title.endswith(sep + site):
                    title = title[: -len(sep + site)]
        return ProductRecord(
            source="meta",
            name=title,
            brand=(self.get("product:brand", "og:brand", "itemprop:brand") or "").strip(" |-–:·") or None,
            sku=self.get("product:retailer_item_id", "product:sku", "itemprop:sku"),
            gtin=self.get("product:gtin", "product:ean", "product:upc", "product:isbn", "itemprop:gtin13"),
            description=self.get("og:description", "description", "twitter:description"),
            images=self.all(
                "og:image:secure_url", "og:image", "og:image:url", "twitter:image", "itemprop:image"
            ),
            offers=offers,
            url=self.get("og:url"),
        )


def read_meta(root: etree._Element) -> MetaTags:
    tags = MetaTags()
    for meta in _METAS(root):
        content = meta.get("content") or ""
        key = meta.get("property") or meta.get("name")
        if key:
            tags.values.setdefault(key.strip().lower(), []).append(content)
        elif meta.get("http-equiv"):
            tags.values.setdefault("http-equiv:" + meta.get("http-equiv", "").lower(), []).append(content)
        itemprop = meta.get("itemprop")
        # A loose itemprop meta (no itemscope above it) is a hint nobody else will read.
        if itemprop and not meta.xpath("ancestor::*[@itemscope]"):
            tags.values.setdefault("itemprop:" + itemprop.strip(), []).append(content)
    return tags
