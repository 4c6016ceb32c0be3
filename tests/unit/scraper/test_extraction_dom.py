"""The visible page: the price a person sees, and the prices that belong to something else."""

from __future__ import annotations

import pytest

from services.common.extraction import NO_PRICE_REASON, NoProductError, extract_product

URL = "https://shop.example.com/p/kettle"
JSONLD = """<script type="application/ld+json">{"@type": "Product", "name": "Kettle",
 "offers": {"@type": "Offer", "price": "%s", "priceCurrency": "USD"}}</script>"""


def _page(body: str, head: str = "", lang: str = "en-US") -> str:
    return (
        f"<html lang='{lang}'><head>{head}</head><body>"
        "<header class='site-header'><a class='cart'>Cart $57.98</a></header>"
        "<div class='announcement'>Free shipping on orders over $50</div>"
        f"<main>{body}"
        "<section class='related-products'><div class='product-card'><span class='price'>$9.99</span></div>"
        "<div class='product-card'><span class='price'>from $4.99</span></div></section></main></body></html>"
    )


def _buy_box(prices: str) -> str:
    return (
        f"<div class='product'><h1>Kettle</h1><div class='price-box'>{prices}</div>"
        "<button>Add to cart</button></div>"
    )


def test_dom_only_price_ignores_chrome_and_carousels() -> None:
    """Without markup, the buy-box price wins over the mini cart, banners and related items."""
    product = extract_product(_page(_buy_box("<span class='price'>$39.00</span>")), URL)
    assert (product.name, product.price, product.currency) == ("Kettle", "39.00", "USD")


def test_visible_sale_beats_stale_markup_list_price() -> None:
    """Markup price shown struck through is the regular price; the visible sale price is the price."""
    body = _buy_box("<s class='price-old'>$59.99</s> <span class='price'>$44.99</span>")
    product = extract_product(_page(body, JSONLD % "59.99"), URL)
    assert (product.price, product.regularPrice, product.offer) == ("44.99", "59.99", "-25%")


def test_markup_wins_when_it_is_shown() -> None:
    """When the markup price is on the page, a different buy-box amount does not replace it."""
    body = _buy_box("<span class='price'>$24.99</span><span class='price'>Bundle $30.00</span>")
    assert extract_product(_page(body, JSONLD % "24.99"), URL).price == "24.99"


def test_markup_price_not_shown_anywhere_yields_to_visible() -> None:
    """A markup price that appears nowhere on the page loses to the price a person sees."""
    body = _buy_box("<span class='price'>$35.70</span>")
    assert extract_product(_page(body, JSONLD % "30.00"), URL).price == "35.70"


@pytest.mark.parametrize(
    "noise",
    [
        "<span class='price'>from $19.99</span>",
        "<span class='price'>$4.99 / kg</span>",
        "<span class='price'>or 4 payments of $9.75</span>",
        "<span class='price'>+ $5.95 shipping</span>",
    ],
)
def test_from_unit_instalment_and_shipping_amounts_are_not_prices(noise: str) -> None:
    """ "from" prices, unit prices, instalments and shipping costs are never the product price."""
    product = extract_product(_page(_buy_box(noise + "<span class='price'>$39.00</span>")), URL)
    assert product.price == "39.00"


def test_shop_promo_text_is_the_offer() -> None:
    """The shop's own badge ("Save $15") is printed instead of a computed percentage."""
    body = _buy_box("<s>$59.99</s> <span class='price'>$44.99</span><span class='badge'>Save $15</span>")
    assert extract_product(_page(body), URL).offer == "Save $15"


def test_js_only_price_is_a_clear_failure() -> None:
    """A product whose price is rendered by JavaScript fails with "no price in the page HTML"."""
    head = '<meta property="og:type" content="product">'
    body = _buy_box("<span class='price' data-bind='price'></span>")
    with pytest.raises(NoProductError) as caught:
        extract_product(_page(body, head), URL)
    assert NO_PRICE_REASON in caught.value.reason
    assert caught.value.permanent


def test_listing_page_is_not_a_product() -> None:
    """A category page with many prices and no buy box is "no product", not a guessed price."""
    body = (
        "<h1>Kettles</h1><ul><li><span class='price'>$39.00</span></li>"
        "<li><span class='price'>$49.00</span></li></ul>"
    )
    with pytest.raises(NoProductError) as caught:
        extract_product(_page(body), URL)
    assert "no product" in caught.value.reason


def test_sold_out_button_marks_out_of_stock() -> None:
    """A sold-out buy button beats stale "InStock" markup."""
    head = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Kettle", "offers": {"price": "39",'
        ' "priceCurrency": "USD", "availability": "InStock"}}</script>'
    )
    body = (
        "<div class='product'><h1>Kettle</h1><span class='price'>$39.00</span>"
        "<button disabled>Sold out</button></div>"
    )
    assert extract_product(_page(body, head), URL).availability == "OutOfStock"


def test_gallery_image_and_description_truncation() -> None:
    """Gallery images are absolute and best-size; long descriptions are cut at a word."""
    head = f'<meta name="description" content="{"word " * 100}">'
    body = (
        "<div class='product'><div class='gallery'><img class='main-image' "
        "srcset='/a-400.jpg 400w, /a-1200.jpg 1200w' src='/a-400.jpg'></div>"
        "<h1>Kettle</h1><span class='price'>$39.00</span><button>Add to cart</button></div>"
    )
    product = extract_product(_page(body, head), URL)
    assert product.images == ["https://shop.example.com/a-1200.jpg"]
    assert product.description is not None and len(product.description) <= 300
    assert product.description.endswith("word…")


def test_bytes_with_declared_charset() -> None:
    """Bytes are decoded with the page's declared charset (windows-1252 here)."""
    html = _page(_buy_box("<span class='price'>39,00 €</span>"), '<meta charset="windows-1252">', "de-DE")
    product = extract_product(html.replace("Kettle", "Wasserkocher Küche").encode("cp1252"), URL)
    assert (product.name, product.price, product.currency) == ("Wasserkocher Küche", "39.00", "EUR")


def test_percentage_without_discount_is_not_an_offer() -> None:
    """A "98% recommend" badge is not a promotion when the page shows no discount."""
    body = _buy_box("<span class='price'>$39.00</span><span class='badge'>98% recommend</span>")
    assert extract_product(_page(body), URL).offer is None


def test_form_action_identifies_the_buy_button() -> None:
    """A plain "Buy" button submitting to the cart is the buy box anchor."""
    body = (
        "<div class='pdp'><h1>Kettle</h1><span class='price'>$39.00</span>"
        "<form action='/cart/add'><button type='submit'>Buy</button></form></div>"
    )
    assert extract_product(_page(body), URL).price == "39.00"


def test_price_on_the_product_item_without_offer() -> None:
    """Microdata that puts price and priceCurrency on the Product itself is still read."""
    body = (
        "<div itemscope itemtype='https://schema.org/Product'><h1 itemprop='name'>Kettle</h1>"
        "<span itemprop='price' content='39.00'>39,00 €</span>"
        "<meta itemprop='priceCurrency' content='EUR'></div>"
    )
    product = extract_product(_page(body), URL)
    assert (product.price, product.currency) == ("39.00", "EUR")


def test_amount_fragments_are_not_prices() -> None:
    """The cents part of a split price ("<span class='price-fraction'>99</span>") is not a price."""
    body = _buy_box(
        "<span class='a-price'><span class='price-symbol'>$</span><span class='price-whole'>27.</span>"
        "<span class='price-fraction'>99</span></span>"
    )
    assert extract_product(_page(body), URL).price == "27.99"


@pytest.mark.parametrize(
    "label",
    [
        "Add to bag",
        "Añadir a la cesta",
        "Adicionar à sacola",
        "Lägg i varukorg",
        "In winkelmand",
        "加入購物車",
        "أضف الى السلة",
        "カートに入れる",
        "В корзину",
    ],
)
def test_buy_buttons_in_many_languages(label: str) -> None:
    """The buy box is found from its button in the shop's language, so a DOM-only page is a product."""
    body = f"<div class='pdp'><h1>Kettle</h1><span class='price'>$39.00</span><button>{label}</button></div>"
    assert extract_product(_page(body), URL).price == "39.00"


def test_markup_without_currency_takes_the_visible_symbol() -> None:
    """JSON-LD without priceCurrency gets the currency from the symbol next to the same price."""
    head = (
        '<script type="application/ld+json">'
        '{"@type": "Product", "name": "Kettle", "offers": {"price": "19.99"}}</script>'
    )
    body = _buy_box("<span class='currency'>€</span><span class='amount'>19,99</span>")
    product = extract_product(_page(body, head, "de-DE"), URL)
    assert (product.price, product.currency) == ("19.99", "EUR")


def test_visible_price_with_vat_beats_unshown_net_markup() -> None:
    """A net markup price shown nowhere loses to the gross price the shopper sees."""
    head = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Kettle",'
        ' "offers": {"price": "84.03", "priceCurrency": "EUR"}}</script>'
    )
    body = _buy_box("<span class='price'>100,00 €</span><span class='vat'>inkl. 19% MwSt.</span>")
    assert extract_product(_page(body, head, "de-DE"), URL).price == "100.00"


def test_page_wide_wrapper_names_do_not_hide_the_product() -> None:
    """A wrapper around the whole page named "has-sidebar theme-menu-fixed" is not a sidebar or menu."""
    html = (
        "<html lang='en-US'><body class='has-sidebar'><div class='wrapper theme-menu-fixed'>"
        "<div class='product'><h1>Kettle</h1><span class='price-holder'>$39.00</span>"
        "<button>Add to cart</button></div>"
        "<div class='quick-view-modal'><span class='price'>$12.00</span></div></div></body></html>"
    )
    product = extract_product(html, URL)
    assert (product.name, product.price, product.regularPrice) == ("Kettle", "39.00", None)


def test_coupon_amounts_are_not_prices() -> None:
    """ "$5 off with code" in the buy box is a discount, not the product's price."""
    head = JSONLD % "39.00"
    body = (
        "<div class='product'><div class='col'><h1>Kettle</h1>"
        "<span class='coupon-price'>$5 off with code</span><button>Add to cart</button></div></div>"
        "<div class='price-col'><span class='price'>$39.00</span></div>"
    )
    assert extract_product(_page(body, head), URL).price == "39.00"


def test_discount_note_after_the_price_keeps_the_price() -> None:
    """"$39.99 (20% off)" is a price followed by a note; only labels before an amount disqualify it."""
    body = _buy_box("<s>$49.99</s> <span class='price'>$39.99</span> (20% off)")
    product = extract_product(_page(body), URL)
    assert (product.price, product.regularPrice) == ("39.99", "49.99")


def test_japanese_from_suffix() -> None:
    """"¥980から" is a "from" price in Japanese word order."""
    body = _buy_box("<span class='price'>¥980から</span><span class='price'>¥1,280</span>")
    assert extract_product(_page(body, lang="ja-JP"), URL).price == "1280"
