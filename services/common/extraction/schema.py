"""schema.org Product nodes (from JSON-LD, microdata or RDFa) to ProductRecord.

Microdata and RDFa items are first turned into the same dict shape JSON-LD has, so the
rules for offers, price specifications, variants and availability live in one place.
"""

from __future__ import annotations

import re
from typing import Any

from .record import OfferRecord, ProductRecord
from .text import clean_text

__all__ = ["PRODUCT_TYPES", "local_types", "is_product", "product_record", "availability_value"]

# A Book, a Vehicle or a Car sold with an offer is the product of its page.
PRODUCT_TYPES = frozenset(
    {"Product", "ProductGroup", "IndividualProduct", "ProductModel", "SomeProducts", "Book", "Vehicle", "Car"}
)
_REGULAR_PRICE_TYPES = ("ListPrice", "StrikethroughPrice", "MSRP", "SRP", "RegularPrice")
_IN_STOCK = {"instock", "limitedavailability", "onlineonly", "instoreonly", "available"}
_OUT_OF_STOCK = {"outofstock", "soldout", "discontinued", "oos", "unavailable"}
_GTIN_KEYS = ("gtin13", "gtin", "gtin12", "gtin14", "gtin8", "isbn")


def local_types(node: dict[str, Any]) -> set[str]:
    """{"Product"} for "Product", "schema:Product", "http://schema.org/Product" or lists of them."""
    raw = node.get("@type") or node.get("type") or []
    values = raw if isinstance(raw, list) else [raw]
    return {re.split(r"[/#:]", str(v))[-1] for v in values if v}


def is_product(node: object) -> bool:
    return isinstance(node, dict) and bool(local_types(node) & PRODUCT_TYPES)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _scalar(value: Any) -> str | None:
    """The first plain value: strings and numbers as text, {"@value"|"name"} unwrapped."""
    for item in _as_list(value):
        if isinstance(item, dict):
            item = item.get("@value", item.get("name"))
            if isinstance(item, list):
                item = item[0] if item else None
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, (int, float)):
            return repr(item) if isinstance(item, float) else str(item)
        text = clean_text(item)
        if text:
            return text
    return None


def availability_value(value: Any) -> str | None:
    text = _scalar(value)
    if not text:
        return None
    # "InStock", "instock", "http://schema.org/InStock", "schema:InStock", "in_stock", "In Stock"
    key = re.sub(r"[\s_-]", "", re.split(r"[/#:]", text.strip())[-1].lower())
    if key in _IN_STOCK:
        return "InStock"
    if key in _OUT_OF_STOCK:
        return "OutOfStock"
    return None


def _images(value: Any) -> list[str]:
    urls: list[str] = []
    for item in _as_list(value):
        if isinstance(item, dict):
            item = item.get("contentUrl") or item.get("url") or item.get("@id")
            item = _scalar(item)
        if isinstance(item, str) and item.strip():
            urls.append(item.strip())
    return urls


def _price_specs(offer: dict[str, Any]) -> tuple[str | None, str | None, str | None, int]:
    """(price, regular, currency, index of the price's entry) from priceSpecification entries."""
    price = regular = currency = None
    where = -1
    for index, spec in enumerate(_as_list(offer.get("priceSpecification"))):
        if not isinstance(spec, dict):
            continue
        value = _scalar(spec.get("price"))
        if value is None:
            continue
        kind = _scalar(spec.get("priceType")) or ""
        if any(t in kind for t in _REGULAR_PRICE_TYPES):
            regular = regular or value
        elif "UnitPriceSpecification" in local_types(spec) and spec.get("referenceQuantity"):
            continue  # price per kg / per litre, not the price of the item
        elif price is None:
            price, where = value, index
        currency = currency or _scalar(spec.get("priceCurrency"))
    return price, regular, currency, where


def _price_path(offer: dict[str, Any], spec_index: int) -> tuple[str, bool]:
    """(where the price was read, whether it is one end of a range)."""
    if _scalar(offer.get("price")):
        return "price", False
    if spec_index >= 0:
        return f"priceSpecification[{spec_index}].price", False
    low, high = _scalar(offer.get("lowPrice")), _scalar(offer.get("highPrice"))
    return "lowPrice", bool(high) and high != low


def _regular(regular: str | None, price: str | None) -> str | None:
    return regular if regular != price else None


def _offers(
    value: Any, *, sku: str | None = None, url: str | None = None, path: str = "offers"
) -> list[OfferRecord]:
    records: list[OfferRecord] = []
    listed = _as_list(value)
    for index, offer in enumerate(listed):
        if not isinstance(offer, dict):
            continue
        here = f"{path}[{index}]" if len(listed) > 1 else path
        nested = offer.get("offers")
        if nested and "AggregateOffer" in local_types(offer):
            inner = _offers(nested, sku=sku, url=url, path=here + ".offers")
            if inner:
                records.extend(inner)
                continue
        spec_price, spec_regular, spec_currency, spec_index = _price_specs(offer)
        price = _scalar(offer.get("price")) or spec_price or _scalar(offer.get("lowPrice"))
        key, is_range = _price_path(offer, spec_index)
        records.append(
            OfferRecord(
                price=price,
                # "currency" is the data-vocabulary.org name still found on older shops.
                currency=_scalar(offer.get("priceCurrency"))
                or spec_currency
                or _scalar(offer.get("currency")),
                regular=_regular(spec_regular or _scalar(offer.get("@struckPrice")), price),
                availability=availability_value(offer.get("availability")),
                url=_scalar(offer.get("url")) or url,
                sku=_scalar(offer.get("sku")) or sku,
                path=_scalar(offer.get("@path")) or f"{here}.{key}",
                is_range=is_range,
            )
        )
    return records


# Marketplace listings fill required identifier fields with words: "Does not apply", "N/A".
_PLACEHOLDER_RE = re.compile(
    r"^(n/?a|none|null|undefined|unknown|does not apply|not applicable|nicht zutreffend|non applicable"
    r"|no aplica|non applicabile|-+|0+)$",
    re.I,
)


# Templates that print the label into the value: "sku:CAE5D4", "Item # 101095".
_ID_LABEL_RE = re.compile(
    r"^(?:sku|item\s*(?:#|no\.?|number)|art(?:ikel)?\.?\s?-?nr\.?|ref\.?|mpn|model)\s*[:#]?\s*", re.I
)


def _identifier(value: Any) -> str | None:
    text = _scalar(value)
    if text is not None:
        text = _ID_LABEL_RE.sub("", text) or text
    return None if text is None or _PLACEHOLDER_RE.match(text) else text


def _brand(value: Any) -> str | None:
    """A brand's name; a URL or a path is where the brand links to, not its name."""
    text = _scalar(value)
    if text is None or re.match(r"^(?:https?:|/|www\.)", text):
        return None
    return text.strip(" |-–:·") or None


def product_record(node: dict[str, Any], source: str, path: str = "") -> ProductRecord:
    sku = _identifier(node.get("sku")) or _identifier(node.get("productID")) or _identifier(node.get("mpn"))
    gtin = next((g for k in _GTIN_KEYS if (g := _identifier(node.get(k)))), None)
    brand = _brand(node.get("brand")) or _brand(node.get("manufacturer"))
    record = ProductRecord(
        source=source,
        name=_scalar(node.get("name")),
        brand=brand,
        sku=sku,
        gtin=re.sub(r"\D", "", gtin) or None if gtin else None,
        description=_scalar(node.get("description")),
        images=_images(node.get("image")),
        offers=_offers(
            node.get("offers") or node.get("offerDetails"),  # offerDetails: data-vocabulary.org
            sku=_scalar(node.get("sku")),
            url=_scalar(node.get("url")),
        ),
        url=_scalar(node.get("url")) or _scalar(node.get("@id")),
        language=_scalar(node.get("inLanguage")),
        path=_scalar(node.get("@path")) or path,
    )
    if not record.offers and node.get("price") is not None:
        # Some templates put price and priceCurrency on the Product itself, without an Offer.
        keys = ("price", "priceCurrency", "currency", "availability", "@struckPrice")
        record.offers = _offers({k: node[k] for k in keys if k in node}, path="")
    # A ProductGroup's own offers are rare: its prices live on the variants.
    for index, variant in enumerate(_as_list(node.get("hasVariant"))):
        if is_product(variant):
            child = product_record(variant, source, f"{path}.hasVariant[{index}]")
            for offer in child.offers:
                offer.path = f"hasVariant[{index}].{offer.path}"
            record.offers.extend(child.offers)
            if not record.images:
                record.images = child.images
    return record
