# ruff: noqa: E501  (page markup is data: long HTML and script lines stay as shops write them)
"""Shopify: the theme's product JSON and ShopifyAnalytics.meta, with money in hundredths."""

from __future__ import annotations

import json

from services.common.extraction import extract_product

from .embedded_helpers import embedded_offers, page

PRODUCT = {
    "id": 7001,
    "title": "Harbour Wool Throw",
    "handle": "harbour-wool-throw",
    "vendor": "Loom & Lantern",
    "price": 11200,
    "variants": [
        {
            "id": 41000000000001,
            "title": "Grey",
            "sku": "HWT-GRY",
            "price": 11200,
            "compare_at_price": 14000,
            "available": True,
        },
        {
            "id": 41000000000002,
            "title": "Navy",
            "sku": "HWT-NVY",
            "price": 9900,
            "compare_at_price": None,
            "available": False,
        },
    ],
}
ANALYTICS = """
window.ShopifyAnalytics = window.ShopifyAnalytics || {};
window.ShopifyAnalytics.meta = window.ShopifyAnalytics.meta || {};
window.ShopifyAnalytics.meta.currency = 'JPY';
var meta = {"product":{"id":8001,"vendor":"Kumo","type":"Tea","variants":[{"id":52,"price":150000,"name":"Sencha Tin - 100 g","public_title":"100 g","sku":"SEN-100"}]},"page":{"pageType":"product","resourceType":"product","resourceId":8001}};
for (var attr in meta) { window.ShopifyAnalytics.meta[attr] = meta[attr]; }
"""


def _theme_page(extra: str = "") -> str:
    script = f'<script type="application/json" id="ProductJson-product-template">{json.dumps(PRODUCT)}</script>'
    currency = '<script>Shopify.currency = {"active":"GBP","rate":"1.0"};</script>'
    return page(f"<h1>Harbour Wool Throw</h1><button name='add'>Add to cart</button>{currency}{script}{extra}")


def test_product_json_cents_become_units_with_the_compare_at_price_as_regular() -> None:
    """11200 is £112.00, the compare-at 14000 its struck price; the currency is Shopify's active one."""
    offers = embedded_offers(_theme_page())
    first = offers[0]
    assert (first["source"], first["price"], first["priceCurrency"]) == ("embedded:shopify", "112.00", "GBP")
    assert first["priceSpecification"][0]["price"] == "140.00"
    assert first["@path"] == "script#ProductJson-product-template.variants[0].price"
    assert offers[1]["availability"] == "OutOfStock"


def test_the_variant_in_the_url_is_the_price() -> None:
    """?variant= picks its variant's price, not the first variant's."""
    product = extract_product(
        _theme_page(), "https://loom.example.co.uk/products/harbour-wool-throw?variant=41000000000002"
    )
    assert (product.price, product.currency, product.sku) == ("99.00", "GBP", "HWT-NVY")


def test_analytics_meta_hundredths_are_divided_by_100_even_for_yen() -> None:
    """Shopify writes ¥1,500 as 150000: the price is 1500 JPY, neither 150000 nor 15."""
    offers = embedded_offers(page("<h1>Sencha Tin</h1>", head=f"<script>{ANALYTICS}</script>"))
    assert [(o["price"], o["priceCurrency"], o["product"]) for o in offers] == [("1500.00", "JPY", "Sencha Tin")]
    assert offers[0]["@path"] == "ShopifyAnalytics.meta.product.variants[0].price"
    product = extract_product(
        page("<h1>Sencha Tin</h1><button name='add'>Add to cart</button>", head=f"<script>{ANALYTICS}</script>"),
        "https://kumo.example.jp/products/sencha",
    )
    assert (product.price, product.currency) == ("1500", "JPY")


def test_pages_without_shopify_data_yield_nothing() -> None:
    """Another platform's application/json script is not read as a Shopify product."""
    other = '<script type="application/json" id="config">{"title": "Shop", "price": 500}</script>'
    assert embedded_offers(page("<h1>X</h1>" + other)) == []


def test_dawn_variant_picker_json_names_the_product_from_its_variants() -> None:
    """Dawn's `<variant-selects>` holds only `product.variants | json`: "Throw - Grey" minus "Grey" is the name."""
    variants = [
        {"id": 1, "name": "Harbour Wool Throw - Grey", "public_title": "Grey", "price": 11200, "available": True},
        {"id": 2, "name": "Harbour Wool Throw - Navy", "public_title": "Navy", "price": 9900, "available": True},
    ]
    picker = f'<variant-selects><script type="application/json">{json.dumps(variants)}</script></variant-selects>'
    offers = embedded_offers(page("<h1>Harbour Wool Throw</h1>" + picker + "<script>Shopify.shop = 'x';</script>"))
    assert [(o["price"], o["product"], o["@path"]) for o in offers] == [
        ("112.00", "Harbour Wool Throw", "variant-selects script.variants[0].price"),
        ("99.00", "Harbour Wool Throw", "variant-selects script.variants[1].price"),
    ]
