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

_AMAZON_PRICE = (
    ("#corePrice_feature_div .a-price .a-offscreen",
     "//*[@id='corePrice_feature_div' or @id='corePriceDisplay_desktop_feature_div']"
     "//*[contains(@class, 'a-price')][not(@data-a-strike='true')][not(contains(@class, 'a-text-price'))]"
     "/*[contains(@class, 'a-offscreen')]"),
    ("#priceblock_dealprice", "//*[@id='priceblock_dealprice']"),
    ("#priceblock_saleprice", "//*[@id='priceblock_saleprice']"),
    ("#priceblock_ourprice", "//*[@id='priceblock_ourprice']"),
    ("#price_inside_buybox", "//*[@id='price_inside_buybox']"),
    ("#newBuyBoxPrice", "//*[@id='newBuyBoxPrice']"),
)  # fmt: skip
_AMAZON_REGULAR = (
    "//*[@id='corePrice_feature_div' or @id='corePriceDisplay_desktop_feature_div']"
    "//*[@data-a-strike='true']/*[contains(@class, 'a-offscreen')]"
    " | //*[@id='price']//*[contains(@class, 'a-text-strike')]"
)
_EBAY_PRICE = (
    (".x-price-primary", "//*[contains(@class, 'x-price-primary')]"),
    ("#mm-saleDscPrc", "//*[@id='mm-saleDscPrc']"),
    ("#prcIsum", "//*[@id='prcIsum']"),
)
_EBAY_REGULAR = "//*[contains(@class, 'x-price-was')] | //*[@id='orgPrc'] | //*[@id='mm-saleOrgPrc']"


def _read(
    root: etree._Element,
    hints: LocaleHints,
    source: str,
    prices: tuple[tuple[str, str], ...],
    regular_xpath: str,
    currency: str | None,
) -> list[EmbeddedProduct]:
    for label, xpath in prices:
        element = first(root, xpath)
        if element is None:
            continue
        text = element.text_content().strip()
        content = element.get("content")
        price, found = money(text, hints, currency)
        if price is None and content:
            price, found = money(content, hints, currency)
        if price is None:
            continue
        was = first(root, regular_xpath)
        regular, _ = money(was.text_content(), hints, found) if was is not None else (None, None)
        node: dict[str, Any] = {
            "@type": "Product",
            "offers": [offer_node(price, found, regular, label)],
            "@path": label,
        }
        return [EmbeddedProduct(source, label, node, detail=True)]
    return []


def read_amazon(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    return _read(root, hints, "embedded:amazon", _AMAZON_PRICE, _AMAZON_REGULAR, None)


def read_ebay(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    currency = first(root, "string(//*[@id='prcIsum']/..//*[@itemprop='priceCurrency']/@content)")
    return _read(root, hints, "embedded:ebay", _EBAY_PRICE, _EBAY_REGULAR, normalize_currency(currency))
