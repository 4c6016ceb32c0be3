"""Analytics data layers: what a product page tells its tag manager about the product viewed.

Read only the product-detail messages, whose product is the page's own:
- Google Tag Manager `dataLayer.push({ecommerce: {detail: {products: [...]}}})` (Universal
  Analytics enhanced ecommerce; the currency is `ecommerce.currencyCode`);
- GA4 `{event: "view_item", ecommerce: {currency, items: [...]}}` and
  `gtag("event", "view_item", {currency, items})` (an item's `price` is after its `discount`);
- Tealium `utag_data` with one `product_price` (its arrays list every product on the page);
- W3C `digitalData` with one product.
Impressions, `view_item_list`, cart and purchase messages describe other products or
totals and are never read. Snippets are JavaScript, not JSON: they are repaired, not run.
"""

from __future__ import annotations

from typing import Any

from .currency import normalize_currency
from .embedded_markup import as_dict
from .embedded_scan import ScriptText, assignments, call_arguments
from .embedded_shape import EmbeddedProduct, join_path

__all__ = ["read_analytics"]

_MAX_ITEMS = 20


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    try:
        return text if float(text.replace(",", "")) > 0 else None
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    return None


def _node(
    path: str, name: Any, price: Any, currency: Any, regular: str | None = None, **fields: Any
) -> dict[str, Any] | None:
    amount = _number(price)
    if amount is None:
        return None
    offer: dict[str, Any] = {"@type": "Offer", "price": amount, "@path": path}
    code = normalize_currency(currency) if isinstance(currency, str) else None
    if code:
        offer["priceCurrency"] = code
    if regular is not None:
        offer["priceSpecification"] = [{"price": regular, "priceType": "StrikethroughPrice"}]
    node: dict[str, Any] = {"@type": "Product", "offers": [offer], "@path": path}
    if (title := _text(name)) is not None:
        node["name"] = title
    node.update({k: t for k, v in fields.items() if (t := _text(v)) is not None})
    return node


def _ua_detail(message: dict[str, Any], path: str) -> list[dict[str, Any]]:
    ecommerce = message.get("ecommerce")
    detail = ecommerce.get("detail") if isinstance(ecommerce, dict) else None
    if not isinstance(detail, dict):
        return []
    products = detail.get("products")
    products = [products] if isinstance(products, dict) else products if isinstance(products, list) else []
    currency = ecommerce.get("currencyCode") if isinstance(ecommerce, dict) else None
    found = []
    for index, item in enumerate(products[:_MAX_ITEMS]):
        if isinstance(item, dict):
            where = join_path(join_path(join_path(path, "ecommerce.detail"), "products"), index)
            node = _node(
                join_path(where, "price"), item.get("name"), item.get("price"), currency,
                sku=item.get("id"), brand=item.get("brand"),
            )  # fmt: skip
            found.extend([node] if node else [])
    return found


def _ga4_items(payload: dict[str, Any], path: str) -> list[dict[str, Any]]:
    items = payload.get("items")
    found = []
    for index, item in enumerate(items[:_MAX_ITEMS] if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        price, discount = _number(item.get("price")), _number(item.get("discount"))
        regular = None
        if price is not None and discount is not None:
            regular = str(float(price.replace(",", "")) + float(discount.replace(",", "")))
        node = _node(
            join_path(join_path(join_path(path, "items"), index), "price"),
            item.get("item_name") or item.get("name"),
            item.get("price"),
            item.get("currency") or payload.get("currency"),
            regular,
            sku=item.get("item_id") or item.get("id"),
            brand=item.get("item_brand") or item.get("brand"),
        )
        found.extend([node] if node else [])
    return found


def _messages(script: str) -> list[tuple[str, Any]]:
    """Every object the script hands to the data layer, with a path naming it."""
    found: list[tuple[str, Any]] = []
    # Only messages about a product are worth repairing: most pushes are page events.
    for index, args in enumerate(call_arguments(script, "dataLayer.push", require="ecommerce")):
        found.extend((f"dataLayer.push[{index}]", arg) for arg in args[:1])
    for _, value in assignments(script, ("dataLayer",), require="ecommerce"):
        for index, item in enumerate(value[:50] if isinstance(value, list) else []):
            found.append((f"dataLayer[{index}]", item))
    return found


def _tealium(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    prices = data.get("product_price") or data.get("product_unit_price")
    if not isinstance(prices, list) or len(prices) != 1:
        return None  # no product, or a list of them: not one product's page
    currency = next(
        (data[k] for k in ("site_currency", "order_currency", "currency_code", "product_currency") if data.get(k)), None
    )
    return _node(
        "utag_data.product_price[0]", data.get("product_name"), prices[0], _text(currency),
        sku=data.get("product_sku") or data.get("product_id"), brand=data.get("product_brand"),
    )  # fmt: skip


def _digital_data(data: Any) -> dict[str, Any] | None:
    products = data.get("product") if isinstance(data, dict) else None
    products = [products] if isinstance(products, dict) else products
    if not isinstance(products, list) or len(products) != 1 or not isinstance(products[0], dict):
        return None
    product = products[0]
    info, price = as_dict(product.get("productInfo")), as_dict(product.get("price"))
    amount = price.get("priceWithTax") or price.get("basePrice")
    key = "priceWithTax" if price.get("priceWithTax") else "basePrice"
    return _node(
        f"digitalData.product[0].price.{key}", info.get("productName"), amount, price.get("currency"),
        sku=info.get("sku") or info.get("productID"), brand=info.get("manufacturer"),
    )  # fmt: skip


def read_analytics(scripts: list[ScriptText]) -> list[EmbeddedProduct]:
    nodes: list[dict[str, Any]] = []
    for script in scripts:
        text = script.text
        if "dataLayer" in text:
            for path, message in _messages(text):
                if not isinstance(message, dict):
                    continue
                nodes.extend(_ua_detail(message, path))
                ecommerce = message.get("ecommerce")
                if message.get("event") == "view_item" and isinstance(ecommerce, dict):
                    nodes.extend(_ga4_items(ecommerce, join_path(path, "ecommerce")))
        if "gtag(" in text:
            for index, args in enumerate(call_arguments(text, "gtag", require="items")):
                if len(args) >= 3 and args[0] == "event" and args[1] == "view_item" and isinstance(args[2], dict):
                    nodes.extend(_ga4_items(args[2], f"gtag[{index}]"))
        for name, needed, reader in (("utag_data", "product_", _tealium), ("digitalData", "product", _digital_data)):
            if name in text:
                for _, value in assignments(text, (name,), require=needed):
                    if (node := reader(value)) is not None:
                        nodes.append(node)
    return [EmbeddedProduct("embedded:analytics", str(n["@path"]), n, detail=True) for n in nodes[:_MAX_ITEMS]]
