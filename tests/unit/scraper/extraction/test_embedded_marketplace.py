# ruff: noqa: E501  (page markup is data: long HTML and script lines stay as shops write them)
"""Marketplace buy boxes: Amazon's and eBay's own price blocks, not their carousels."""

from __future__ import annotations

from .embedded_helpers import embedded_offers, page

AMAZON_2017 = """
<div id="price"><table><tr><td>List Price:</td><td><span class="a-text-strike"> $119.99</span></td></tr>
<tr><td>Deal Price:</td><td><span id="priceblock_dealprice" class="a-size-medium a-color-price">$89.00</span></td></tr></table></div>
<div class="a-carousel"><span class="a-price" data-a-color="price"><span class="a-offscreen">$17.98</span></span></div>
"""
AMAZON_NOW = """
<div id="corePriceDisplay_desktop_feature_div"><span class="a-price priceToPay" data-a-color="price"><span class="a-offscreen">$24.99</span><span aria-hidden="true">$24<span class="a-price-fraction">99</span></span></span>
<span class="a-price a-text-price" data-a-strike="true" data-a-color="secondary"><span class="a-offscreen">$34.99</span></span></div>
<div id="sims"><span class="a-price"><span class="a-offscreen">$9.99</span></span></div>
"""


def test_amazon_deal_price_with_the_list_price_struck() -> None:
    """The older `#priceblock_dealprice` wins over carousel prices; "List Price" is the regular one."""
    offers = embedded_offers(page(AMAZON_2017, body_class="a-m-us a-aui_72554-c"))
    assert [(o["source"], o["price"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("embedded:amazon", "89.00", "119.99")
    ]


def test_amazon_core_price_to_pay_not_the_struck_one() -> None:
    """In `#corePriceDisplay_desktop_feature_div` the `data-a-strike` price is the regular one."""
    offers = embedded_offers(page(AMAZON_NOW, body_class="a-m-us a-aui_72554-c"))
    assert [(o["price"], o["priceCurrency"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("24.99", "USD", "34.99")
    ]


def test_amazon_blocks_are_not_read_on_other_sites() -> None:
    """A shop reusing the id `priceblock_ourprice` without Amazon's UI framework is not Amazon."""
    assert embedded_offers(page(AMAZON_2017)) == []


def test_ebay_primary_price_and_was_price() -> None:
    """`.x-price-primary` with the struck `.x-price-was`; the currency from the printed "US $"."""
    body = (
        '<div class="x-price-primary"><span class="ux-textspans">US $649.99</span></div>'
        '<div class="x-price-was"><span class="ux-textspans ux-textspans--STRIKETHROUGH">US $899.99</span></div>'
        '<script src="https://ir.ebaystatic.com/rs/v/app.js"></script>'
    )
    offers = embedded_offers(page(body))
    assert [(o["source"], o["price"], o["priceCurrency"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("embedded:ebay", "649.99", "USD", "899.99")
    ]
