"""What each source (JSON-LD, microdata, RDFa, meta tags, visible DOM) says about the product.

Sources fill the same small shapes so the merge step can cross-check them field by
field instead of trusting whichever source was found first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["OfferRecord", "ProductRecord"]


@dataclass(slots=True)
class OfferRecord:
    """One offer as a source states it; prices stay raw until hints are known."""

    price: str | None = None
    currency: str | None = None
    regular: str | None = None
    availability: str | None = None
    url: str | None = None
    sku: str | None = None
    #: Where the price was read, relative to the product ("offers[1].price"), for the evidence.
    path: str = ""
    #: A range ("lowPrice" 10 to "highPrice" 40): one end of it is no price of the item.
    is_range: bool = False
    #: Filled by the merge step once the currency and locale are known.
    amount: Decimal | None = None
    regular_amount: Decimal | None = None


@dataclass(slots=True)
class ProductRecord:
    source: str
    name: str | None = None
    brand: str | None = None
    sku: str | None = None
    gtin: str | None = None
    description: str | None = None
    images: list[str] = field(default_factory=list)
    offers: list[OfferRecord] = field(default_factory=list)
    url: str | None = None
    language: str | None = None
    #: Where the product node sits in the page (a JSON path or a CSS-like selector).
    path: str = ""
