# ruff: noqa: E501  (page markup is data: long HTML and script lines stay as shops write them)
"""Analytics data layers: only product-detail messages, with their own currency."""

from __future__ import annotations

import pytest

from services.common.extraction import NoProductError, extract_product

from .embedded_helpers import embedded_offers, page

UA = """
window.dataLayer = window.dataLayer || [];
dataLayer.push({'event': 'gtm.js'});
dataLayer.push({
  'ecommerce': {
    'currencyCode': 'EUR',
    'impressions': [{'name': 'Other Shoe', 'id': 'Z9', 'price': '19.90', 'list': 'Related'}],
    'detail': {'actionField': {'list': 'Search'}, 'products': [{'name': 'Trail Runner', 'id': 'TR-1', 'price': '89.90', 'brand': 'Ridge',}]}
  }
});
dataLayer.push({'event': 'addToCart', 'ecommerce': {'currencyCode': 'EUR', 'add': {'products': [{'name': 'Socks', 'id': 'S1', 'price': '5.00'}]}}});
"""


def test_ua_detail_product_with_the_ecommerce_currency() -> None:
    """`ecommerce.detail.products` is the page's product; impressions and cart adds are not read."""
    offers = embedded_offers(page("<h1>Trail Runner</h1>", head=f"<script>{UA}</script>"))
    assert [(o["price"], o["priceCurrency"], o["product"], o["sku"] if "sku" in o else None) for o in offers] == [
        ("89.90", "EUR", "Trail Runner", None)
    ]
    assert offers[0]["@path"] == "dataLayer.push[1].ecommerce.detail.products[0].price"


GA4 = """
dataLayer.push({ecommerce: null});
dataLayer.push({event: "view_item_list", ecommerce: {currency: "USD", items: [{item_name: "Cap", item_id: "C1", price: 15}]}});
dataLayer.push({event: "view_item", ecommerce: {currency: "USD", value: 72, items: [{item_name: "Rain Shell", item_id: "RS-2", price: 72, discount: 18, item_brand: "Ridge"}]}});
dataLayer.push({event: "purchase", ecommerce: {currency: "USD", value: 240.5, items: [{item_name: "Rain Shell", price: 72}]}});
"""


def test_ga4_view_item_with_discount_gives_the_regular_price() -> None:
    """`price` is after `discount` (GA4's definition): 72 now, 90 before; lists and purchases are skipped."""
    offers = embedded_offers(page("<h1>Rain Shell</h1>", head=f"<script>{GA4}</script>"))
    assert [(o["price"], o["priceCurrency"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("72", "USD", "90.0")
    ]


def test_gtag_view_item_event() -> None:
    """`gtag('event', 'view_item', {...})` is the same message sent without the data layer."""
    script = "gtag('event', 'view_item', {currency: 'GBP', items: [{item_id: 'W1', item_name: 'Wool Hat', price: '24.00'}]});"
    offers = embedded_offers(page("<h1>Wool Hat</h1>", head=f"<script>{script}</script>"))
    assert [(o["price"], o["priceCurrency"]) for o in offers] == [("24.00", "GBP")]


def test_tealium_with_several_products_is_not_one_product_page() -> None:
    """utag_data lists every product on the page: only a single one is the page's."""
    one = 'var utag_data = {"page_type": "product", "product_id": ["P1"], "product_name": ["Boot"], "product_price": ["598.00"], "site_currency": "USD"};'
    many = 'var utag_data = {"product_id": ["P1", "P2"], "product_price": ["598.00", "12.00"]};'
    assert [o["price"] for o in embedded_offers(page("", head=f"<script>{one}</script>"))] == ["598.00"]
    assert embedded_offers(page("", head=f"<script>{many}</script>")) == []


def test_digital_data_single_product() -> None:
    """W3C digitalData with one product: its base price."""
    script = 'digitalData = {"product":[{"productInfo":{"sku":"978039","productName":"Astrophysics"},"price":{"basePrice":11.37}}]};'
    offers = embedded_offers(page("<h1>Astrophysics</h1>", head=f"<script>{script}</script>"))
    assert [(o["price"], o["@path"]) for o in offers] == [("11.37", "digitalData.product[0].price.basePrice")]


def test_analytics_price_in_another_currency_loses_to_the_visible_price() -> None:
    """A data layer reporting in the head office's EUR does not replace the $ price a US buyer sees."""
    body = (
        "<main><div class='product'><h1>Trail Runner</h1><div class='price'><span class='sales'>$99.00</span></div>"
        "<button>Add to cart</button></div></main>"
    )
    product = extract_product(page(body, head=f"<script>{UA}</script>"), "https://shop.example.com/p/tr-1")
    assert (product.price, product.currency) == ("99.00", "USD")


def test_analytics_alone_is_a_product_page_but_a_cart_push_is_not() -> None:
    """A detail message makes a product page; a page with only cart messages has no product."""
    product = extract_product(
        page("<h1>Trail Runner</h1>", head=f"<script>{UA}</script>"), "https://shop.example.com/p/tr-1"
    )
    assert (product.price, product.currency) == ("89.90", "EUR")
    cart_only = (
        "dataLayer.push({'event': 'addToCart', 'ecommerce': {'add': {'products': [{'name': 'S', 'price': '5.00'}]}}});"
    )
    with pytest.raises(NoProductError):
        extract_product(page("<p>Cart</p>", head=f"<script>{cart_only}</script>"), "https://shop.example.com/cart")
