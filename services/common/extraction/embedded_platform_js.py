"""PrestaShop and BigCommerce: the product data their themes hand to their own scripts.

PrestaShop 1.7+ puts the product in `#product-details[data-product]` (JSON) and the shop's
currency in the global `prestashop` object; BigCommerce's Stencil themes assign
`var BCData = {"product_attributes": {"price": {"with_tax": {...}, "without_tax": {...}}}}`
and mark prices with `data-product-price-with-tax` / `-without-tax`.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from .currency import LocaleHints, normalize_currency
from .embedded_markup import as_dict, first, money, offer_node
from .embedded_scan import ScriptText, assignments, load_json
from .embedded_shape import EmbeddedProduct

__all__ = ["read_prestashop", "read_bigcommerce"]

_PS_AVAILABLE = {"available": "InStock", "last_remaining_items": "InStock", "unavailable": "OutOfStock"}


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value) if value > 0 else None
    text = str(value).strip()
    try:
        return text if float(text) > 0 else None
    except ValueError:
        return None


def _prestashop_currency(scripts: list[ScriptText]) -> str | None:
    for script in scripts:
        if "prestashop" not in script.text:
            continue
        for _, value in assignments(script.text, ("prestashop",)):
            currency = value.get("currency") if isinstance(value, dict) else None
            if isinstance(currency, dict) and isinstance(currency.get("iso_code"), str):
                return normalize_currency(currency["iso_code"])
    return None


def read_prestashop(root: etree._Element, scripts: list[ScriptText], hints: LocaleHints) -> list[EmbeddedProduct]:
    holder = first(root, "//*[@id='product-details'][@data-product]")
    data = load_json(holder.get("data-product") or "", repair=False) if holder is not None else None
    if not isinstance(data, dict):
        return []
    currency = _prestashop_currency(scripts)
    price = _number(data.get("price_amount"))
    if price is None:
        shown = first(
            root, "//*[contains(@class, 'product-prices')]//*[contains(@class, 'current-price')]//*[@content]"
        )
        price = _number(shown.get("content")) if shown is not None else None
    if price is None:
        return []
    regular = _number(data.get("regular_price_amount")) if data.get("has_discount") else None
    if currency is None:
        # The shop's currency object is missing: the price string the theme printed names it.
        _, currency = money(str(data.get("price") or ""), hints)
    path = "#product-details@data-product.price_amount"
    availability = _PS_AVAILABLE.get(str(data.get("availability") or ""))
    offer = offer_node(price, currency, regular, path, availability=availability)
    node: dict[str, Any] = {"@type": "Product", "offers": [offer], "@path": path}
    for key, value in (
        ("name", data.get("name")),
        ("sku", data.get("reference")),
        ("gtin13", data.get("ean13")),
        ("gtin12", data.get("upc")),
        ("productID", data.get("id_product")),
    ):
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            node[key] = str(value).strip()
    return [EmbeddedProduct("embedded:prestashop", path, node, detail=True)]


def _bc_amount(price: dict[str, Any], key: str) -> tuple[str | None, str | None]:
    entry = price.get(key)
    if not isinstance(entry, dict):
        return None, None
    value = _number(entry.get("value"))
    currency = entry.get("currency")
    return value, normalize_currency(currency) if isinstance(currency, str) else None


def read_bigcommerce(root: etree._Element, scripts: list[ScriptText], hints: LocaleHints) -> list[EmbeddedProduct]:
    for script in scripts:
        if "BCData" not in script.text:
            continue
        for _, data in assignments(script.text, ("BCData",)):
            attributes = as_dict(as_dict(data).get("product_attributes"))
            price = as_dict(attributes.get("price"))
            if not price:
                continue
            # With both present the store shows tax-inclusive prices to consumers.
            tax = "with_tax" if isinstance(price.get("with_tax"), dict) else "without_tax"
            amount, currency = _bc_amount(price, tax)
            if amount is None:
                continue
            regular = None
            for key in (f"non_sale_price_{tax}", f"rrp_{tax}"):
                regular = regular or _bc_amount(price, key)[0]
            path = f"BCData.product_attributes.price.{tax}.value"
            availability = attributes.get("instock")
            offer = offer_node(
                amount,
                currency,
                regular,
                path,
                availability=("InStock" if availability else "OutOfStock") if isinstance(availability, bool) else None,
            )
            node: dict[str, Any] = {"@type": "Product", "offers": [offer], "@path": path}
            for key, value in (
                ("sku", attributes.get("sku")),
                ("mpn", attributes.get("mpn")),
                ("gtin", attributes.get("gtin") or attributes.get("upc")),
            ):
                if isinstance(value, str) and value.strip():
                    node[key] = value.strip()
            return [EmbeddedProduct("embedded:bigcommerce", path, node, detail=True)]
    return _bigcommerce_markup(root, hints)


def _bigcommerce_markup(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    view = first(root, "//*[contains(@class, 'productView')][not(ancestor::*[contains(@class, 'card')])]")
    if view is None:
        return []
    for tax in ("with-tax", "without-tax"):
        shown = first(view, f".//*[@data-product-price-{tax}]")
        price, currency = money(shown.text_content(), hints) if shown is not None else (None, None)
        if price is None:
            continue
        was = first(view, f".//*[@data-product-non-sale-price-{tax}] | .//*[@data-product-rrp-{tax}]")
        regular, _ = money(was.text_content(), hints, currency) if was is not None else (None, None)
        path = f".productView [data-product-price-{tax}]"
        node = {"@type": "Product", "offers": [offer_node(price, currency, regular, path)], "@path": path}
        return [EmbeddedProduct("embedded:bigcommerce", path, node, detail=True)]
    return []
