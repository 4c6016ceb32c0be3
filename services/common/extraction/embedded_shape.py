"""Product-like objects in a shop's own JSON, turned into schema.org-shaped dicts.

Framework states (Next.js, Nuxt, Redux, Apollo) and data layers name things as each shop
likes: `title` or `productName`, `price: {current: {value}}`, `priceInCents`,
`{centAmount, fractionDigits}`. This module knows the common spellings, once, and walks a
state with hard bounds (depth, nodes visited, products kept) so a 2 MB state stays cheap.
Carts, wish lists, recommendations and reviews are not descended into: their products are
not the page's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .currency import minor_units, normalize_currency

__all__ = ["EmbeddedProduct", "product_from_object", "find_products", "amount_from_minor", "join_path"]

MAX_DEPTH = 14
MAX_NODES = 40_000
MAX_FOUND = 40
MAX_VARIANTS = 100

_NAME_KEYS = ("name", "title", "productName", "product_name", "displayName", "item_name", "productTitle")
_PRICE_KEYS = tuple(
    """price salePrice sale_price currentPrice current_price finalPrice final_price sellingPrice offerPrice
    priceValue displayPrice activePrice specialPrice price_amount priceAmount priceInCents price_cents
    priceCents prices priceInfo pricing priceData""".split()
)
_REGULAR_KEYS = tuple(
    """listPrice list_price regularPrice regular_price originalPrice original_price wasPrice was_price
    compareAtPrice compare_at_price strikePrice strikethroughPrice regular_price_amount oldPrice old_price
    msrp""".split()
)
# Inside a price object: which member is the amount a buyer pays now.
_VALUE_KEYS = tuple("value amount current currentPrice sale salePrice final finalPrice price selling now raw".split())
_CURRENCY_KEYS = ("currency", "currencyCode", "priceCurrency", "currency_code", "currencyIso", "currencyUnit")
_SKU_KEYS = ("sku", "skuId", "sku_id", "SKU", "variantSku", "reference", "itemNumber")
_ID_KEYS = ("productId", "product_id", "productID", "item_id", "id")
_GTIN_KEYS = ("gtin", "gtin13", "gtin12", "gtin14", "gtin8", "ean", "ean13", "upc", "barcode")
_IMAGE_KEYS = ("image", "imageUrl", "image_url", "images", "featured_image", "mainImage", "thumbnail")
_STOCK_KEYS = ("inStock", "in_stock", "isInStock", "is_in_stock", "available", "availableForSale")
# Containers whose products are not the page's product.
_SKIP_KEY_RE = re.compile(
    r"cart|basket|bag|wish|related|recommend|similar|recent|upsell|cross_?sell|accessor|bundle|review"
    r"|breadcrumb|navigation|menu|footer|header|compare|alsoBought|alsoViewed|sponsored|^ads?$",
    re.I,
)
_NUMBER_RE = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")


@dataclass(frozen=True, slots=True)
class EmbeddedProduct:
    """A product some embedded data describes, schema.org-shaped, with where it was found."""

    source: str  # "embedded:next", "embedded:shopify", ...
    path: str  # "props.pageProps.product", "ShopifyAnalytics.meta.product"
    node: dict[str, Any]
    #: True when the platform says this is the page's product (a product-detail push, a product
    #: page's own JSON); False when it was found by its shape in a state that may hold others.
    detail: bool = True


def join_path(path: str, key: str | int) -> str:
    return f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else key)


def amount_from_minor(value: Any, currency: str | None, digits: int | None = None) -> str | None:
    """ "12.99" from 1299 cents, using the currency's minor units (0 for JPY, 3 for KWD)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    places = digits if digits is not None else minor_units(normalize_currency(currency))
    return format(number.scaleb(-places), "f")


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any] | None:
    for key in keys:
        value = obj.get(key)
        if value is not None and value != "" and not isinstance(value, bool):
            return key, value
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("title")
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _currency(obj: dict[str, Any]) -> str | None:
    found = _first(obj, _CURRENCY_KEYS)
    if found is None:
        return None
    value = found[1]
    if isinstance(value, dict):
        value = value.get("code") or value.get("isoCode") or value.get("iso_code")
    return normalize_currency(value) if isinstance(value, str) else None


def _amount(key: str, value: Any, currency: str | None, depth: int = 0) -> tuple[str | None, str | None]:
    """(amount text, currency) from a price member: a number, a numeric string or a price object."""
    if isinstance(value, bool) or value is None:
        return None, currency
    if isinstance(value, (int, float)) or (isinstance(value, str) and _NUMBER_RE.match(value)):
        if "cent" in key.lower():
            return amount_from_minor(value, currency), currency
        return str(value).strip(), currency
    if isinstance(value, dict) and depth < 3:
        currency = _currency(value) or currency
        if "centAmount" in value:  # commercetools and friends
            digits = value.get("fractionDigits")
            return amount_from_minor(
                value["centAmount"], currency, digits if isinstance(digits, int) else None
            ), currency
        found = _first(value, _VALUE_KEYS)
        if found is not None:
            return _amount(found[0], found[1], currency, depth + 1)
    return None, currency


def _regular(obj: dict[str, Any], currency: str | None) -> str | None:
    for holder in (obj, *(v for k in _PRICE_KEYS if isinstance(v := obj.get(k), dict))):
        found = _first(holder, _REGULAR_KEYS + ("was", "list", "regular", "original", "old"))
        if found is not None:
            amount, _ = _amount(found[0], found[1], currency)
            if amount is not None:
                return amount
    return None


def _availability(obj: dict[str, Any]) -> str | None:
    text = _text(obj.get("availability") or obj.get("availabilityStatus") or obj.get("stockStatus"))
    if text:
        return text
    found = next(((k, obj[k]) for k in _STOCK_KEYS if isinstance(obj.get(k), bool)), None)
    return None if found is None else ("InStock" if found[1] else "OutOfStock")


def _image(obj: dict[str, Any]) -> str | None:
    found = _first(obj, _IMAGE_KEYS)
    value = found[1] if found else None
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("src") or value.get("href")
    return value if isinstance(value, str) and value.strip() else None


def _gtin(obj: dict[str, Any]) -> str | None:
    found = _first(obj, _GTIN_KEYS)
    digits = re.sub(r"\D", "", str(found[1])) if found else ""
    return digits if len(digits) in (8, 12, 13, 14) else None


def offer_from_object(obj: dict[str, Any], path: str, currency: str | None) -> dict[str, Any] | None:
    """A schema.org Offer from a product or variant object's price members, or None without a price."""
    currency = _currency(obj) or currency
    found = _first(obj, _PRICE_KEYS)
    if found is None:
        return None
    amount, currency = _amount(found[0], found[1], currency)
    if amount is None:
        return None
    offer: dict[str, Any] = {"@type": "Offer", "price": amount, "@path": join_path(path, found[0])}
    if currency:
        offer["priceCurrency"] = currency
    regular = _regular(obj, currency)
    if regular is not None and regular != amount:
        offer["priceSpecification"] = [{"price": regular, "priceType": "ListPrice", "priceCurrency": currency}]
    if (availability := _availability(obj)) is not None:
        offer["availability"] = availability
    sku = _first(obj, _SKU_KEYS)
    if sku is not None and _text(sku[1]):
        offer["sku"] = _text(sku[1])
    return offer


def product_from_object(obj: dict[str, Any], path: str, currency: str | None = None) -> dict[str, Any] | None:
    """A schema.org Product for an object with a name and a price, offers or SKU; else None."""
    name_key = _first(obj, _NAME_KEYS)
    name = _text(name_key[1]) if name_key else None
    if not name or len(name) > 300:
        return None
    currency = _currency(obj) or currency
    offers: list[dict[str, Any]] = []
    if isinstance(obj.get("offers"), (dict, list)):
        raw = obj["offers"] if isinstance(obj["offers"], list) else [obj["offers"]]
        offers = [o for o in raw if isinstance(o, dict)]
    elif (offer := offer_from_object(obj, path, currency)) is not None:
        offers = [offer]
    elif isinstance(obj.get("variants"), list):
        for index, variant in enumerate(obj["variants"][:MAX_VARIANTS]):
            if isinstance(variant, dict):
                found = offer_from_object(variant, join_path(join_path(path, "variants"), index), currency)
                if found is not None:
                    offers.append(found)
    sku = _first(obj, _SKU_KEYS)
    ident = _first(obj, _ID_KEYS)
    if not offers and sku is None:
        return None
    node: dict[str, Any] = {"@type": "Product", "name": name, "@path": path, "offers": offers}
    for key, value in (
        ("sku", _text(sku[1]) if sku else None),
        ("productID", _text(ident[1]) if ident else None),
        ("mpn", _text(obj.get("mpn"))),
        ("gtin", _gtin(obj)),
        ("brand", _text(obj.get("brand") or obj.get("vendor") or obj.get("manufacturer"))),
        ("image", _image(obj)),
        ("url", _text(obj.get("url") or obj.get("canonicalUrl") or obj.get("productUrl"))),
        ("description", _text(obj.get("description"))),
    ):
        if value:
            node[key] = value
    return node


def find_products(value: Any, path: str, source: str, currency: str | None = None) -> list[EmbeddedProduct]:
    """Product-like objects anywhere in ``value`` (bounded), outermost first, not inside carts or carousels."""
    found: list[EmbeddedProduct] = []
    stack: list[tuple[Any, str, int]] = [(value, path, 0)]
    visited = 0
    while stack and visited < MAX_NODES and len(found) < MAX_FOUND:
        item, where, depth = stack.pop()
        visited += 1
        if isinstance(item, dict):
            product = product_from_object(item, where, currency)
            if product is not None:
                found.append(EmbeddedProduct(source, where, product, detail=False))
                continue
            children = [(k, v) for k, v in item.items() if isinstance(v, (dict, list)) and not _SKIP_KEY_RE.search(k)]
        elif isinstance(item, list):
            children = list(enumerate(item[:200]))
        else:
            continue
        if depth < MAX_DEPTH:
            for key, child in reversed(children):
                if isinstance(child, (dict, list)):
                    stack.append((child, join_path(where, key), depth + 1))
    return found
