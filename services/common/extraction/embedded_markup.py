"""Platform price markup: Magento 2, WooCommerce, Salesforce Commerce Cloud, Shopware.

Each platform writes the product page's price box the same way on every shop, with
attributes for its own scripts (`data-price-amount`, `data-product_variations`,
`.value[content]`). The same markup also draws related products' tiles, so each reader
first finds the main product's box (by the id the buy form posts, or by the platform's
product-page container) and never reads tiles, carousels or widgets.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lxml import etree

from .currency import LocaleHints, currency_from_text, normalize_currency
from .embedded_scan import ScriptText, load_json
from .embedded_shape import EmbeddedProduct
from .price import parse_amount

__all__ = ["read_magento", "read_woocommerce", "read_sfcc", "read_shopware", "money", "offer_node", "first", "as_dict"]

# Containers of other products on all four platforms.
_NOT_MAIN = (
    "ancestor::*[contains(@class, 'product-item') or contains(@class, 'products-grid')"
    " or contains(@class, 'related') or contains(@class, 'upsell') or contains(@class, 'crosssell')"
    " or contains(@class, 'cross-sells') or contains(@class, 'widget_') or contains(@class, 'product-tile')"
    " or contains(concat(' ', @class, ' '), ' widget ') or contains(@class, 'recommendations')"
    " or contains(@class, 'minicart') or contains(@class, 'mini-cart') or contains(@class, 'product-card')"
    " or self::ul[contains(@class, 'products')]]"
)


def first(root: etree._Element, xpath: str, **variables: str) -> Any:
    found = root.xpath(xpath, **variables)
    return found[0] if found else None


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is an object, else an empty one: embedded data has any shape."""
    return value if isinstance(value, dict) else {}


def money(text: str | None, hints: LocaleHints, currency: str | None = None) -> tuple[str | None, str | None]:
    """(plain amount, currency) of a visible price such as "1.299,00 €"; (None, None) without digits."""
    if not text or not any(c.isdigit() for c in text):
        return None, None
    currency = currency or currency_from_text(text, hints)
    amount = parse_amount(text, currency)
    return (format(amount, "f"), currency) if amount is not None and amount > 0 else (None, None)


def offer_node(price: str, currency: str | None, regular: str | None, path: str, **extra: Any) -> dict[str, Any]:
    offer: dict[str, Any] = {"@type": "Offer", "price": price, "@path": path}
    if currency:
        offer["priceCurrency"] = currency
    if regular is not None and Decimal(regular) > Decimal(price):
        offer["priceSpecification"] = [{"price": regular, "priceType": "StrikethroughPrice"}]
    offer.update({k: v for k, v in extra.items() if v is not None})
    return offer


def _product(source: str, path: str, offers: list[dict[str, Any]], **fields: Any) -> EmbeddedProduct:
    node: dict[str, Any] = {"@type": "Product", "offers": offers, "@path": path}
    node.update({k: v for k, v in fields.items() if v})
    return EmbeddedProduct(source, path, node, detail=True)


def _magento_config(scripts: list[ScriptText], product_id: str | None) -> EmbeddedProduct | None:
    """`x-magento-init` priceBox config: {"prices": {"finalPrice": {"amount": 49}, "oldPrice": ...}}."""
    for script in scripts:
        if script.type != "text/x-magento-init" or "priceBox" not in script.text:
            continue
        data = load_json(script.text, repair=False)
        for selector, widgets in data.items() if isinstance(data, dict) else ():
            config = as_dict(as_dict(as_dict(widgets).get("priceBox")).get("priceConfig"))
            prices = as_dict(config.get("prices"))
            if not prices or (product_id and str(config.get("productId")) != product_id):
                continue
            final = as_dict(prices.get("finalPrice")).get("amount")
            old = as_dict(prices.get("oldPrice")).get("amount")
            if isinstance(final, (int, float)) and not isinstance(final, bool) and final > 0:
                regular = str(old) if isinstance(old, (int, float)) and not isinstance(old, bool) else None
                path = f"x-magento-init[{selector}].priceBox.priceConfig.prices.finalPrice.amount"
                return _product("embedded:magento", path, [offer_node(str(final), None, regular, path)])
    return None


def read_magento(root: etree._Element, scripts: list[ScriptText]) -> list[EmbeddedProduct]:
    product_id = first(root, "//form[@id='product_addtocart_form']//input[@name='product']/@value")
    product_id = str(product_id) if product_id else None
    box = None
    if product_id:
        # An XPath variable, not string formatting: the id is the page's text.
        box = first(
            root, "//*[@data-role='priceBox'][@data-product-id=$pid or @data-price-box=$box]",
            pid=product_id, box=f"product-id-{product_id}",
        )  # fmt: skip
    if box is None:
        main = "//*[contains(@class, 'product-info-main')]"
        box = first(root, f"{main}//*[contains(@class, 'price-box')][not({_NOT_MAIN})]")
    if box is None:
        config = _magento_config(scripts, product_id) if product_id else None
        return [config] if config else []
    final = first(box, ".//*[@data-price-type='finalPrice'][@data-price-amount]/@data-price-amount")
    old = first(box, ".//*[@data-price-type='oldPrice'][@data-price-amount]/@data-price-amount")
    if not final:
        config = _magento_config(scripts, product_id)
        return [config] if config else []
    currency = normalize_currency(
        first(root, "string(//*[contains(@class, 'product-info-main')]//meta[@itemprop='priceCurrency']/@content)")
    )
    path = (
        f"[data-product-id={product_id}] [data-price-type=finalPrice]@data-price-amount"
        if product_id
        else (".product-info-main .price-box [data-price-type=finalPrice]@data-price-amount")
    )
    offer = offer_node(str(final), currency, str(old) if old else None, path)
    return [_product("embedded:magento", path, [offer], productID=product_id)]


def read_woocommerce(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    summary = first(
        root,
        f"//*[contains(@class, 'summary')][not({_NOT_MAIN})]//*[contains(concat(' ', @class, ' '), ' price ')]"
        "[.//*[contains(@class, 'woocommerce-Price-amount')]]",
    )
    offers: list[dict[str, Any]] = []
    currency = None
    if summary is not None:
        symbol = first(summary, "string(.//*[contains(@class, 'woocommerce-Price-currencySymbol')])")
        currency = currency_from_text(symbol, hints) if symbol else None
        now = summary.xpath(".//ins//*[contains(@class, 'woocommerce-Price-amount')]")
        was = summary.xpath(".//del//*[contains(@class, 'woocommerce-Price-amount')]")
        every = summary.xpath(".//*[contains(@class, 'woocommerce-Price-amount')][not(ancestor::del)]")
        # Two amounts without <ins> are a range ("$10 – $20"): a "from" price, not the price.
        current = now[0] if now else every[0] if len(every) == 1 else None
        if current is not None:
            price, currency = money(current.text_content(), hints, currency)
            regular, _ = money(was[0].text_content(), hints, currency) if was else (None, None)
            if price is not None:
                offers.append(offer_node(price, currency, regular, ".summary .price .woocommerce-Price-amount"))
    form = first(root, "//form[contains(@class, 'variations_form')][@data-product_variations]")
    if form is not None and not offers:
        variations = load_json(form.get("data-product_variations") or "", repair=False)
        for index, item in enumerate(variations[:100] if isinstance(variations, list) else []):
            price = item.get("display_price") if isinstance(item, dict) else None
            if not isinstance(price, (int, float)) or isinstance(price, bool) or price <= 0:
                continue
            regular = item.get("display_regular_price")
            offers.append(
                offer_node(
                    str(price),
                    currency,
                    str(regular) if isinstance(regular, (int, float)) and not isinstance(regular, bool) else None,
                    f"form.variations_form@data-product_variations[{index}].display_price",
                    sku=str(item["sku"]) if item.get("sku") else None,
                    availability=("InStock" if item.get("is_in_stock") else "OutOfStock")
                    if isinstance(item.get("is_in_stock"), bool)
                    else None,
                )
            )
    if not offers:
        return []
    return [_product("embedded:woocommerce", str(offers[0]["@path"]), offers)]


def _sitegenesis(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    """The older SiteGenesis: the first `.product-price` in `#product-content` (`.price-sales`, `.price-standard`).

    Later ones belong to the variation picker (one per size), so only the first is read.
    """
    content = first(root, "//@id[.='product-content']/..")
    box = first(content, ".//*[contains(@class, 'product-price')]") if content is not None else None
    sales = first(box, ".//*[contains(@class, 'price-sales')]") if box is not None else None
    if sales is None:
        return []
    price, currency = money(sales.text_content(), hints)
    machine = sales.get("content")
    if machine and _is_number(machine):
        price = machine.strip()
    standard = first(box, ".//*[contains(@class, 'price-standard')]")
    regular, _ = money(standard.text_content(), hints, currency) if standard is not None else (None, None)
    if price is None:
        return []
    path = "#product-content .product-price .price-sales"
    return [_product("embedded:sfcc", path, [offer_node(price, currency, regular, path)])]


def read_sfcc(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    """SFRA's `.product-detail[data-pid]` with `.prices .sales .value[content]`, else SiteGenesis."""
    detail = first(root, f"//*[contains(@class, 'product-detail')][@data-pid][not({_NOT_MAIN})]")
    if detail is None:
        return _sitegenesis(root, hints)
    prices = first(detail, f".//*[contains(@class, 'prices')][not({_NOT_MAIN})]")
    if prices is None:
        return []
    sale = first(prices, ".//*[contains(@class, 'sales')]//*[contains(@class, 'value')][@content]")
    strike = first(
        prices,
        ".//*[contains(@class, 'strike-through') or contains(@class, 'list')]//*[contains(@class, 'value')][@content]",
    )
    if sale is None:
        return []
    _, currency = money(sale.text_content(), hints)
    price, regular = sale.get("content"), strike.get("content") if strike is not None else None
    if not price or not any(c.isdigit() for c in price):
        return []
    pid = detail.get("data-pid")
    path = f".product-detail[data-pid={pid}] .prices .sales .value@content"
    offer = offer_node(price, currency, regular if regular and _is_number(regular) else None, path, sku=pid)
    return [_product("embedded:sfcc", path, [offer], sku=pid)] if _is_number(price) else []


def read_shopware(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    """Shopware 6 `.product-detail-buy` (and 5's `.product--buybox`): price, list price, currency."""
    box = first(root, "//*[contains(@class, 'product-detail-buy') or contains(@class, 'product--buybox')]")
    if box is None:
        return []
    currency = normalize_currency(first(box, "string(.//meta[@itemprop='priceCurrency']/@content)"))
    shown = first(box, ".//*[contains(@class, 'product-detail-price') or contains(@class, 'price--content')]")
    meta_price = first(box, "string(.//meta[@itemprop='price']/@content)")
    price, currency = money(shown.text_content(), hints, currency) if shown is not None else (None, currency)
    if price is None and meta_price and _is_number(meta_price):
        price = meta_price
    if price is None:
        return []
    listed = first(box, ".//*[contains(@class, 'list-price-price') or contains(@class, 'price--line-through')]")
    regular, _ = money(listed.text_content(), hints, currency) if listed is not None else (None, None)
    path = ".product-detail-buy .product-detail-price"
    return [_product("embedded:shopware", path, [offer_node(price, currency, regular, path)])]


def _is_number(text: str) -> bool:
    try:
        return Decimal(text.strip()) > 0
    except ArithmeticError:
        return False
