"""Shopify: the theme's product JSON and `ShopifyAnalytics.meta`.

Shopify writes money as an integer count of hundredths of the currency, whatever the
currency: $59.00 is 5900, and ¥1,500 is 150000 (Shopify's own docs: "1000 JPY is output as
100000"), so integers are divided by 100, never by the currency's minor units. A price
written as a decimal string ("59.00", the `/products/x.json` form) is already in units.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .embedded_scan import ScriptText, assignments, load_json
from .embedded_shape import EmbeddedProduct, join_path

__all__ = ["read_shopify"]

_ANALYTICS_CURRENCY_RE = re.compile(r"""meta\.currency\s*=\s*['"]([A-Za-z]{3})['"]""")
_ACTIVE_CURRENCY_RE = re.compile(r"""Shopify\.currency\s*=\s*(\{[^{}]{0,200}\})""")
_MAX_VARIANTS = 100


def _money(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return format(Decimal(value).scaleb(-2), "f")
    if isinstance(value, float):
        return format(Decimal(str(value)).scaleb(-2), "f") if value.is_integer() else None
    text = str(value).strip()
    if re.fullmatch(r"\d+", text):
        return format(Decimal(text).scaleb(-2), "f")
    return text if re.fullmatch(r"\d+\.\d+", text) else None


def _currency(scripts: list[ScriptText]) -> str | None:
    for script in scripts:
        if "Shopify" not in script.text:
            continue
        if found := _ANALYTICS_CURRENCY_RE.search(script.text):
            return found.group(1).upper()
        if found := _ACTIVE_CURRENCY_RE.search(script.text):
            active = load_json(found.group(1))
            if isinstance(active, dict) and isinstance(active.get("active"), str):
                return active["active"].upper()
    return None


def _variant_offer(variant: dict[str, Any], path: str, currency: str | None) -> dict[str, Any] | None:
    price = _money(variant.get("price"))
    if price is None:
        return None
    offer: dict[str, Any] = {"@type": "Offer", "price": price, "@path": join_path(path, "price")}
    if currency:
        offer["priceCurrency"] = currency
    regular = _money(variant.get("compare_at_price"))
    if regular is not None and Decimal(regular) > Decimal(price):
        offer["priceSpecification"] = [{"price": regular, "priceType": "StrikethroughPrice"}]
    if isinstance(variant.get("available"), bool):
        offer["availability"] = "InStock" if variant["available"] else "OutOfStock"
    if variant.get("sku"):
        offer["sku"] = str(variant["sku"])
    if variant.get("id") is not None:
        # Shopify selects a variant with ?variant=<id>; the price rules prefer the offer whose URL the page has.
        offer["url"] = f"?variant={variant['id']}"
    return offer


def _product(data: dict[str, Any], path: str, currency: str | None, source: str) -> EmbeddedProduct | None:
    """The theme's `{{ product | json }}` or the analytics `meta.product`."""
    offers: list[dict[str, Any]] = []
    variants = data.get("variants")
    if isinstance(variants, list):
        for index, variant in enumerate(variants[:_MAX_VARIANTS]):
            if isinstance(variant, dict):
                offer = _variant_offer(variant, join_path(join_path(path, "variants"), index), currency)
                if offer is not None:
                    offers.append(offer)
    if not offers and (offer := _variant_offer(data, path, currency)) is not None:
        offer.pop("url", None)
        offers.append(offer)
    name = data.get("title") or data.get("name")
    if not name and isinstance(variants, list) and variants and isinstance(variants[0], dict):
        # Analytics variants are named "Product - Variant"; their public_title is the variant part.
        full, part = str(variants[0].get("name") or ""), str(variants[0].get("public_title") or "")
        name = full[: -len(part) - 3] if part and full.endswith(" - " + part) else full
    if not offers or not name:
        return None
    node: dict[str, Any] = {"@type": "Product", "name": str(name), "offers": offers, "@path": path}
    if data.get("vendor"):
        node["brand"] = str(data["vendor"])
    first = variants[0] if isinstance(variants, list) and len(variants) == 1 else None
    if isinstance(first, dict) and first.get("sku"):
        node["sku"] = str(first["sku"])
    if isinstance(first, dict) and isinstance(first.get("barcode"), str) and first["barcode"].strip():
        node["gtin"] = first["barcode"].strip()
    image = data.get("featured_image") or (data.get("images") or [None])[0]
    if isinstance(image, str):
        node["image"] = image
    if isinstance(data.get("description"), str):
        node["description"] = data["description"]
    return EmbeddedProduct(source, path, node, detail=True)


# Dawn and the themes built on it put `product.variants | json` inside their variant pickers.
_PICKERS = ("variant-selects", "variant-radios", "variant-picker")


def _is_product_json(script: ScriptText) -> bool:
    if script.type != "application/json":
        return False
    element = script.element
    parent = element.getparent()
    return (
        script.id.startswith("ProductJson")
        or script.id == "product-json"
        or element.get("data-product-json") is not None
        or (parent is not None and parent.tag in _PICKERS)
    )


def read_shopify(scripts: list[ScriptText]) -> list[EmbeddedProduct]:
    if not any("Shopify" in s.text or _is_product_json(s) for s in scripts):
        return []
    currency = _currency(scripts)
    found: list[EmbeddedProduct] = []
    for script in scripts:
        if _is_product_json(script):
            data = load_json(script.text, repair=False)
            label = f"script#{script.id}" if script.id else "script[data-product-json]"
            if isinstance(data, dict) and isinstance(data.get("product"), dict):
                data, label = data["product"], label + ".product"
            elif isinstance(data, list):
                data, label = {"variants": data}, f"{getattr(script.element.getparent(), 'tag', '')} script".strip()
            if isinstance(data, dict) and (product := _product(data, label, currency, "embedded:shopify")):
                found.append(product)
        elif "ShopifyAnalytics" in script.text or "var meta" in script.text:
            for _, meta in assignments(script.text, ("meta",)):
                product = meta.get("product") if isinstance(meta, dict) else None
                if isinstance(product, dict):
                    made = _product(product, "ShopifyAnalytics.meta.product", currency, "embedded:shopify")
                    found.extend([made] if made else [])
    return found
