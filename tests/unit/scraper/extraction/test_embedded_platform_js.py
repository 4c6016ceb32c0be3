# ruff: noqa: E501  (page markup is data: long HTML and script lines stay as shops write them)
"""PrestaShop's `data-product` and BigCommerce's `BCData`: the product their themes hand to scripts."""

from __future__ import annotations

import html as html_lib
import json

from .embedded_helpers import embedded_offers, page

PS_PRODUCT = {
    "id_product": "19",
    "name": "Mug The adventure begins",
    "reference": "demo_13",
    "ean13": "4006381333931",
    "price_amount": 11.9,
    "regular_price_amount": 14.9,
    "has_discount": True,
    "price": "11,90 €",
    "availability": "available",
}
PS_VAR = '<script>var prestashop = {"currency":{"name":"Euro","iso_code":"EUR","sign":"€"},"customer":{"is_logged":false},"cart":{"totals":{"total":{"amount":42.5}}}};</script>'


def _ps_page(product: dict, script: str = PS_VAR) -> str:
    attr = html_lib.escape(json.dumps(product))
    return page(
        f'<h1>Mug</h1><div class="product-prices"><div class="current-price"><span content="11.9">11,90 €</span></div></div>'
        f'<div id="product-details" data-product="{attr}"></div>{script}',
        lang="fr-FR",
    )


def test_prestashop_product_price_currency_and_identifiers() -> None:
    """price_amount, regular_price_amount (on discount), EUR from the shop object; not the cart total."""
    offers = embedded_offers(_ps_page(PS_PRODUCT))
    assert [(o["source"], o["price"], o["priceCurrency"], o["availability"]) for o in offers] == [
        ("embedded:prestashop", "11.9", "EUR", "InStock")
    ]
    assert offers[0]["priceSpecification"][0]["price"] == "14.9"


def test_prestashop_regular_price_only_with_a_discount() -> None:
    """Without `has_discount`, `regular_price_amount` is the same price and no regular price is made."""
    offers = embedded_offers(_ps_page({**PS_PRODUCT, "has_discount": False, "regular_price_amount": 11.9}))
    assert "priceSpecification" not in offers[0]


BC_DATA = {
    "csrf_token": "abc",
    "product_attributes": {
        "sku": "MS044BW",
        "upc": None,
        "price": {
            "with_tax": {"formatted": "A$121.00", "value": 121, "currency": "AUD"},
            "without_tax": {"formatted": "A$110.00", "value": 110, "currency": "AUD"},
            "tax_label": "GST",
            "non_sale_price_with_tax": {"formatted": "A$143.00", "value": 143, "currency": "AUD"},
        },
        "instock": True,
    },
}


def test_bigcommerce_price_with_tax_when_the_store_shows_it() -> None:
    """Both prices given: the tax-inclusive one a consumer sees, its non-sale price as regular."""
    body = f"<h1>Board</h1><script>var BCData = {json.dumps(BC_DATA)};</script>"
    offers = embedded_offers(page(body, lang="en-AU"))
    assert [(o["price"], o["priceCurrency"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("121", "AUD", "143")
    ]
    assert offers[0]["@path"] == "BCData.product_attributes.price.with_tax.value"


def test_bigcommerce_without_product_attributes_yields_nothing() -> None:
    """BCData on a category page carries only a token: no product is made up."""
    assert embedded_offers(page('<script>var BCData = {"csrf_token": "x"};</script>')) == []
