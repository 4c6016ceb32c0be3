"""Framework states (Next.js, Nuxt, Redux, Apollo): the page's product, found by its shape."""

from __future__ import annotations

import json

import pytest

from services.common.extraction import NoProductError, extract_product

from .embedded_helpers import embedded_offers, page

URL = "https://www.audio.example.com/p/sonar-2"
BUY = "<h1>Sonar 2 Bluetooth Speaker</h1><button>Add to cart</button>"


def _next(page_props: dict) -> str:
    data = {"props": {"pageProps": page_props}, "page": "/p/[slug]", "buildId": "b1"}
    return page(BUY + f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>')


def test_next_data_product_with_a_nested_price_object() -> None:
    """`price: {current: {value}, currencyCode}` and a `wasPrice` are read as price and regular price."""
    html = _next(
        {
            "product": {
                "name": "Sonar 2 Bluetooth Speaker",
                "sku": "SON-2",
                "price": {"current": {"value": 79.99}, "wasPrice": 99.99, "currencyCode": "USD"},
            }
        }
    )
    product = extract_product(html, URL)
    assert (product.price, product.currency, product.regularPrice, product.sku) == ("79.99", "USD", "99.99", "SON-2")


def test_related_products_and_the_cart_in_the_state_are_not_the_price() -> None:
    """Recommendations and the cart (with its total) hold priced products; the page's own has none."""
    html = _next(
        {
            "product": {"name": "Sonar 2 Bluetooth Speaker", "slug": "sonar-2"},
            "recommendations": [{"name": "Sonar Mini", "price": 39.9, "sku": "SON-MINI"}],
            "cart": {"items": [{"name": "USB-C Cable", "price": 9.9, "sku": "C1"}], "total": 49.8},
        }
    )
    assert embedded_offers(html) == []
    with pytest.raises(NoProductError, match="no price"):
        extract_product(html, URL)


def test_a_product_in_the_state_that_is_not_the_page_s_is_dropped() -> None:
    """A priced product whose name is not the page's title (a bundle teaser) does not become the price."""
    html = _next({"teaser": {"name": "Sonar Mini Travel Speaker", "price": 39.9, "sku": "SON-MINI"}})
    with pytest.raises(NoProductError, match="no price"):
        extract_product(html, URL)


def test_cents_are_divided_by_the_currency_minor_units() -> None:
    """`priceInCents` and commercetools' `centAmount` with `fractionDigits` are not read as units."""
    state = {
        "catalog": {
            "item": {"name": "Sonar 2 Bluetooth Speaker", "priceInCents": 7999, "currency": "USD", "sku": "S2"},
        }
    }
    html = page(BUY + f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script>")
    assert [o["price"] for o in embedded_offers(html)] == ["79.99"]
    ct = {
        "product": {
            "name": "Sonar 2",
            "sku": "S2",
            "price": {"value": {"centAmount": 34500, "currencyCode": "JPY", "fractionDigits": 0}},
        }
    }
    html = page(BUY + f"<script>window.__PRELOADED_STATE__ = {json.dumps(ct)}</script>")
    assert [(o["price"], o["priceCurrency"]) for o in embedded_offers(html)] == [("34500", "JPY")]


def test_initial_state_in_json_parse_form() -> None:
    """`window.__INITIAL_STATE__ = JSON.parse("...")` is decoded without running it."""
    inner = json.dumps({"pdp": {"product": {"name": "Sonar 2 Bluetooth Speaker", "price": "79.99", "sku": "S2"}}})
    html = page(BUY + f"<script>window.__INITIAL_STATE__ = JSON.parse({json.dumps(inner)});</script>")
    offers = embedded_offers(html)
    assert [(o["source"], o["price"], o["@path"]) for o in offers] == [
        ("embedded:state", "79.99", "__INITIAL_STATE__.pdp.product.price")
    ]


def test_apollo_cache_references_are_followed() -> None:
    """`{"__ref": "Price:1"}` in a normalised Apollo cache resolves to the price entry."""
    cache = {
        "ROOT_QUERY": {"product": {"__ref": "Product:9"}},
        "Product:9": {"name": "Sonar 2 Bluetooth Speaker", "sku": "S2", "price": {"__ref": "Money:1"}},
        "Money:1": {"amount": "79.99", "currencyCode": "USD"},
    }
    html = page(BUY + f"<script>window.__APOLLO_STATE__={json.dumps(cache)};</script>")
    assert [(o["source"], o["price"], o["priceCurrency"]) for o in embedded_offers(html)] == [
        ("embedded:apollo", "79.99", "USD")
    ]


def test_nuxt_data_devalue_array_is_unflattened() -> None:
    """Nuxt 3's `__NUXT_DATA__` stores values by index; `["Reactive", i]` wrappers are unwrapped."""
    flat = [
        {"data": 1},
        ["Reactive", 2],
        {"product": 3},
        {"name": 4, "price": 5, "currency": 6, "sku": 7},
        "Sonar 2 Bluetooth Speaker",
        79.99,
        "EUR",
        "S2",
    ]
    html = page(BUY + f'<script type="application/json" id="__NUXT_DATA__">{json.dumps(flat)}</script>')
    assert [(o["source"], o["price"], o["priceCurrency"]) for o in embedded_offers(html)] == [
        ("embedded:nuxt", "79.99", "EUR")
    ]


def test_nuxt_function_form_parameters_are_substituted_not_evaluated() -> None:
    """`__NUXT__=(function(a,b){return {...}}("Sonar 2 …",79.99))`: each parameter becomes its argument.

    A key named like a parameter stays a key, and nothing else in the script is run.
    """
    script = (
        'window.__NUXT__=(function(a,b,c){return {layout:c,data:[{product:{name:a,price:b,a:"key",sku:"S2",'
        'currency:"EUR"}}],state:{cart:{items:[{name:"Cable",price:9.9}]}}}}'
        '("Sonar 2 Bluetooth Speaker",79.99,"default"));'
    )
    offers = embedded_offers(page(BUY + f"<script>{script}</script>"))
    assert [(o["source"], o["price"], o["priceCurrency"], o["product"]) for o in offers] == [
        ("embedded:nuxt", "79.99", "EUR", "Sonar 2 Bluetooth Speaker")
    ]


def test_walmart_style_price_info_with_current_and_was_price() -> None:
    """`priceInfo: {currentPrice: {price, currencyUnit}, wasPrice: {price}}`, the shape of large retailers' states."""
    html = _next(
        {
            "initialData": {
                "data": {
                    "product": {
                        "name": "Sonar 2 Bluetooth Speaker",
                        "usItemId": "123",
                        "priceInfo": {
                            "currentPrice": {"price": 37.3, "priceString": "$37.30", "currencyUnit": "USD"},
                            "wasPrice": {"price": 49.0, "priceString": "$49.00", "currencyUnit": "USD"},
                            "unitPrice": {"price": 0.31, "priceString": "31.1 ¢/oz"},
                        },
                        "sku": "123",
                    }
                }
            }
        }
    )
    offers = embedded_offers(html)
    assert [(o["price"], o["priceCurrency"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("37.3", "USD", "49.0")
    ]
