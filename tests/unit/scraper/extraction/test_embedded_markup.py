# ruff: noqa: E501  (page markup is data: long HTML and script lines stay as shops write them)
"""Platform price markup: Magento 2, WooCommerce, Salesforce Commerce Cloud, Shopware."""

from __future__ import annotations

import html as html_lib
import json

from services.common.extraction import extract_product

from .embedded_helpers import embedded_offers, page

MAGENTO_INIT = '<script type="text/x-magento-init">{"*": {"Magento_Ui/js/core/app": {}}}</script>'
MAGENTO = f"""
<div class="product-info-main"><h1 class="page-title"><span>Explorer Backpack</span></h1>
 <div class="product-info-price"><div class="price-box price-final_price" data-role="priceBox" data-product-id="1204">
  <span class="special-price"><span class="price-container"><span id="product-price-1204" data-price-amount="59.5"
    data-price-type="finalPrice" class="price-wrapper"><span class="price">$59.50</span></span></span></span>
  <span class="old-price"><span class="price-container"><span id="old-price-1204" data-price-amount="79"
    data-price-type="oldPrice" class="price-wrapper"><span class="price">$79.00</span></span></span></span>
 </div></div>
 <form id="product_addtocart_form"><input type="hidden" name="product" value="1204">
  <button class="action tocart">Add to Cart</button></form>
</div>
<div class="block related"><ol class="products-grid"><li class="product-item">
 <div class="price-box" data-role="priceBox" data-product-id="1300"><span data-price-amount="12"
   data-price-type="finalPrice" class="price-wrapper"><span class="price">$12.00</span></span></div>
</li></ol></div>
{MAGENTO_INIT}
"""


def test_magento_reads_the_main_product_box_not_a_related_one() -> None:
    """The price box of the id the buy form posts: final price now, old price as regular."""
    offers = embedded_offers(page(MAGENTO, body_class="catalog-product-view"))
    assert [(o["source"], o["price"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("embedded:magento", "59.5", "79")
    ]
    assert offers[0]["@path"] == "[data-product-id=1204] [data-price-type=finalPrice]@data-price-amount"


def test_magento_price_box_config_when_the_box_has_no_amounts() -> None:
    """x-magento-init `priceBox.priceConfig.prices.finalPrice.amount` for the posted product id."""
    config = {
        "[data-role=priceBox][data-price-box=product-id-1204]": {
            "priceBox": {
                "priceConfig": {
                    "productId": "1204",
                    "prices": {"finalPrice": {"amount": 59.5}, "oldPrice": {"amount": 79}},
                }
            }
        },
        "[data-role=priceBox][data-price-box=product-id-1300]": {
            "priceBox": {"priceConfig": {"productId": "1300", "prices": {"finalPrice": {"amount": 12}}}}
        },
    }
    body = (
        '<form id="product_addtocart_form"><input type="hidden" name="product" value="1204"></form>'
        f'<script type="text/x-magento-init">{json.dumps(config)}</script>'
    )
    assert [o["price"] for o in embedded_offers(page(body))] == ["59.5"]


WOO = """
<div class="product type-product"><div class="summary entry-summary"><h1 class="product_title">Linen Apron</h1>
<p class="price"><del aria-hidden="true"><span class="woocommerce-Price-amount amount"><bdi>32,00&nbsp;<span class="woocommerce-Price-currencySymbol">&euro;</span></bdi></span></del>
<ins><span class="woocommerce-Price-amount amount"><bdi>24,90&nbsp;<span class="woocommerce-Price-currencySymbol">&euro;</span></bdi></span></ins></p>
<button class="single_add_to_cart_button">Ajouter au panier</button></div></div>
<section class="related products"><ul class="products"><li class="product"><span class="price"><span class="woocommerce-Price-amount amount"><bdi>9,90&nbsp;<span class="woocommerce-Price-currencySymbol">&euro;</span></bdi></span></span></li></ul></section>
"""


def test_woocommerce_ins_is_the_price_and_del_the_regular_one() -> None:
    """`<ins>` is the sale price and `<del>` the regular one, in the shop's own number format."""
    offers = embedded_offers(
        page(WOO, body_class="product-template-default woocommerce woocommerce-page", lang="fr-FR")
    )
    assert [(o["price"], o["priceCurrency"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("24.90", "EUR", "32.00")
    ]


def test_woocommerce_price_range_is_not_a_price_but_variations_are() -> None:
    """ "10 € – 20 €" is a "from" price; the variations JSON gives each variation's price instead."""
    amount = '<span class="woocommerce-Price-amount amount"><bdi>{}&nbsp;<span class="woocommerce-Price-currencySymbol">&euro;</span></bdi></span>'
    summary = f'<div class="summary"><h1>Apron</h1><p class="price">{amount.format("10,00")} – {amount.format("20,00")}</p></div>'
    assert embedded_offers(page(summary, body_class="woocommerce")) == []
    variations = [
        {"variation_id": 11, "sku": "AP-S", "display_price": 10, "display_regular_price": 12, "is_in_stock": True},
        {"variation_id": 12, "sku": "AP-L", "display_price": 20, "display_regular_price": 20, "is_in_stock": False},
    ]
    form = f'<form class="variations_form cart" data-product_variations="{html_lib.escape(json.dumps(variations))}"></form>'
    offers = embedded_offers(page(summary + form, body_class="woocommerce"))
    assert [(o["price"], o.get("sku"), o.get("availability")) for o in offers] == [
        ("10", "AP-S", "InStock"),
        ("20", "AP-L", "OutOfStock"),
    ]


SFCC = """
<div class="product-detail product-wrapper" data-pid="25519318M"><h1 class="product-name">Trail Jacket</h1>
<div class="prices"><div class="price"><span><del><span class="strike-through list"><span class="value" content="129.00">$129.00</span></span></del>
<span class="sales"><span class="value" content="89.00">$89.00</span></span></span></div></div>
<button class="add-to-cart btn btn-primary">Add to Cart</button>
<div class="recommendations"><div class="product-tile" data-pid="777"><div class="prices"><span class="sales"><span class="value" content="19.00">$19.00</span></span></div></div></div>
</div>
<script src="/on/demandware.static/Sites-RefArch-Site/-/en_US/v1/js/main.js"></script>
"""


def test_sfcc_sales_value_content_not_a_recommendation_tile() -> None:
    """`.sales .value[content]` of the product detail; the strike-through one is the regular price."""
    offers = embedded_offers(page(SFCC))
    assert [(o["source"], o["price"], o["priceCurrency"], o["sku"]) for o in offers] == [
        ("embedded:sfcc", "89.00", "USD", "25519318M")
    ]
    assert offers[0]["priceSpecification"][0]["price"] == "129.00"


def test_sfcc_is_not_read_on_other_platforms() -> None:
    """Without Salesforce's script URLs, a `data-pid` page is not treated as one."""
    assert embedded_offers(page(SFCC.replace("demandware", "cdn"))) == []


def test_shopware_list_price_is_the_regular_price() -> None:
    """Shopware 6's buy box: the price shown and its list price, currency from the item's meta."""
    body = """<div class="product-detail-buy"><meta itemprop="priceCurrency" content="EUR">
    <p class="product-detail-price with-list-price">1.199,00&nbsp;€*</p>
    <span class="product-detail-list-price-wrapper"><span class="list-price-price">1.399,00&nbsp;€*</span></span>
    <div class="product-detail-price-lowest">Niedrigster Preis der letzten 30 Tage: 1.099,00 €</div></div>"""
    offers = embedded_offers(page(body, body_class="is-ctl-product is-act-index", lang="de-DE"))
    assert [(o["price"], o["priceCurrency"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("1199.00", "EUR", "1399.00")
    ]


def test_magento_page_end_to_end_uses_the_box_when_markup_is_missing() -> None:
    """With no schema.org markup, the Magento box gives price and regular price to the product."""
    product = extract_product(
        page(MAGENTO, body_class="catalog-product-view"), "https://shop.example.com/explorer.html"
    )
    assert (product.price, product.currency, product.regularPrice) == ("59.50", "USD", "79.00")


SITEGENESIS = """
<div id="product-content"><h1 class="product-name">Gold Gift Box, 36 pc.</h1>
<div class="product-price"><span class="price-standard">$59.95</span><span content="51.95" class="price-sales">$51.95</span></div>
<dl class="variations"><dd><ul><li><div class="product-price"><span content="97.95" class="price-sales">$97.95</span></div></li></ul></dd></dl>
</div>
<script>var dw = {"url": "/on/demandware.store/Sites-Shop-Site/default/Product-Show"}; // demandware</script>
"""


def test_sitegenesis_first_product_price_not_the_variation_picker() -> None:
    """The older SFCC template: the first `.product-price` of `#product-content`; sizes list their own."""
    offers = embedded_offers(page(SITEGENESIS))
    assert [(o["source"], o["price"], o["priceSpecification"][0]["price"]) for o in offers] == [
        ("embedded:sfcc", "51.95", "59.95")
    ]
