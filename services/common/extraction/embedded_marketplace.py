"""The big marketplaces' own buy-box price blocks, the same markup on every listing.

Amazon: the buy box's `#corePrice_feature_div` / `#corePriceDisplay_desktop_feature_div`
(`.a-offscreen` of the price to pay, the `data-a-strike` one struck), and the older
`#priceblock_dealprice` / `_saleprice` / `_ourprice`, `#price_inside_buybox`. eBay:
`.x-price-primary` (and the older `#prcIsum` / `#mm-saleDscPrc` with `content`), the was
price in `.x-price-was` / `#orgPrc`. Only these ids are read: the same `.a-offscreen`
spans fill carousels of other products. (Walmart's page is Next.js: embedded_state.py.)
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from .currency import LocaleHints, normalize_currency
from .embedded_markup import first, money, offer_node
from .embedded_shape import EmbeddedProduct

__all__ = ["read_amazon", "read_ebay"]

_CORE_PRICE = (
    ".//*[contains(@class, 'a-price')][not(@data-a-strike='true')][not(contains(@class, 'a-text-price'))]"
    "/*[contains(@class, 'a-offscreen')]"
)
# (label, id of the block, path inside it); one scan finds every block by id.
_AMAZON_PRICE = (
    ("#corePrice_feature_div .a-price .a-offscreen", "corePrice_feature_div", _CORE_PRICE),
    (
        "#corePriceDisplay_desktop_feature_div .a-price .a-offscreen",
        "corePriceDisplay_desktop_feature_div",
        _CORE_PRICE,
    ),
    ("#priceblock_dealprice", "priceblock_dealprice", "."),
    ("#priceblock_saleprice", "priceblock_saleprice", "."),
    ("#priceblock_ourprice", "priceblock_ourprice", "."),
    ("#price_inside_buybox", "price_inside_buybox", "."),
    ("#newBuyBoxPrice", "newBuyBoxPrice", "."),
)
_AMAZON_REGULAR = (
    ("corePrice_feature_div", ".//*[@data-a-strike='true']/*[contains(@class, 'a-offscreen')]"),
    ("corePriceDisplay_desktop_feature_div", ".//*[@data-a-strike='true']/*[contains(@class, 'a-offscreen')]"),
    ("price", ".//*[contains(@class, 'a-text-strike')]"),
)
# Testing the id attributes alone is ten times cheaper than testing every element's @id.
_AMAZON_IDS = etree.XPath(
    "//@id["
    + " or ".join(f".='{i}'" for i in sorted({b for _, b, _ in _AMAZON_PRICE} | {b for b, _ in _AMAZON_REGULAR}))
    + "]/.."
)
_EBAY_PRICE = (
    (".x-price-primary", "//*[contains(@class, 'x-price-primary')]"),
    ("#mm-saleDscPrc", "//*[@id='mm-saleDscPrc']"),
    ("#prcIsum", "//*[@id='prcIsum']"),
)
_EBAY_REGULAR = "//*[contains(@class, 'x-price-was')] | //*[@id='orgPrc'] | //*[@id='mm-saleOrgPrc']"


def _node(source: str, label: str, price: str, currency: str | None, regular: str | None) -> EmbeddedProduct:
    node: dict[str, Any] = {"@type": "Product", "offers": [offer_node(price, currency, regular, label)], "@path": label}
    return EmbeddedProduct(source, label, node, detail=True)


def _price_of(element: etree._Element, hints: LocaleHints, currency: str | None) -> tuple[str | None, str | None]:
    price, found = money(element.text_content().strip(), hints, currency)
    content = element.get("content")
    if price is None and content:
        price, found = money(content, hints, currency)
    return price, found


def read_amazon(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    blocks = {el.get("id"): el for el in _AMAZON_IDS(root)}
    for label, block_id, inner in _AMAZON_PRICE:
        block = blocks.get(block_id)
        element = first(block, inner) if block is not None else None
        if element is None:
            continue
        price, currency = _price_of(element, hints, None)
        if price is None:
            continue
        regular = None
        for regular_id, regular_path in _AMAZON_REGULAR:
            holder = blocks.get(regular_id)
            was = first(holder, regular_path) if holder is not None else None
            if was is not None and regular is None:
                regular, _ = money(was.text_content(), hints, currency)
        return [_node("embedded:amazon", label, price, currency, regular)]
    return []


def read_ebay(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    currency = normalize_currency(first(root, "string(//*[@id='prcIsum']/..//*[@itemprop='priceCurrency']/@content)"))
    for label, xpath in _EBAY_PRICE:
        element = first(root, xpath)
        price, found = _price_of(element, hints, currency) if element is not None else (None, None)
        if price is None:
            continue
        was = first(root, _EBAY_REGULAR)
        regular, _ = money(was.text_content(), hints, found) if was is not None else (None, None)
        return [_node("embedded:ebay", label, price, found, regular)]
    return []
