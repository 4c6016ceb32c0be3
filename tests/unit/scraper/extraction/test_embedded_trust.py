"""Where embedded data stands among the sources: below schema.org markup, above meta tags."""

from __future__ import annotations

import json

from services.common.extraction import extract_product

from .embedded_helpers import page

URL = "https://shop.example.com/products/lamp"
SHOPIFY = (
    '<script type="application/json" data-product-json>'
    + json.dumps({"title": "Desk Lamp", "variants": [{"id": 1, "price": 4500, "sku": "DL-1"}]})
    + '</script><script>Shopify.currency = {"active":"USD","rate":"1.0"};</script>'
)


def test_json_ld_price_wins_over_embedded_data() -> None:
    """With no visible price to decide, the shop's schema.org offer is trusted first."""
    ld = {"@type": "Product", "name": "Desk Lamp", "offers": {"price": "42.00", "priceCurrency": "USD"}}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    product = extract_product(page("<h1>Desk Lamp</h1>" + SHOPIFY, head=head), URL)
    assert product.price == "42.00"


def test_embedded_data_wins_over_meta_tags() -> None:
    """The platform's own product data is trusted before a `product:price:amount` meta tag."""
    head = (
        '<meta property="og:type" content="product">'
        '<meta property="product:price:amount" content="49.00"><meta property="product:price:currency" content="USD">'
    )
    product = extract_product(page("<h1>Desk Lamp</h1>" + SHOPIFY, head=head), URL)
    assert (product.price, product.sku) == ("45.00", "DL-1")
