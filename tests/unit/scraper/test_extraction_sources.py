"""Each markup source read on its own: JSON-LD (incl. broken), microdata, RDFa, meta tags."""

from __future__ import annotations

from services.common.extraction import extract_product
from services.common.extraction.document import parse_document
from services.common.extraction.items import MICRODATA, RDFA
from services.common.extraction.jsonld import blocks, load_block, product_nodes
from services.common.extraction.meta import read_meta
from services.common.extraction.schema import product_record

URL = "https://shop.example.com/p/thing"


def _page(head: str = "", body: str = "") -> str:
    return f"<html lang='en-US'><head>{head}</head><body>{body}</body></html>"


def test_broken_jsonld_is_repaired() -> None:
    """Trailing commas, comments, raw newlines and HTML-comment wrappers do not lose the block."""
    raw = '<!-- {"@type": "Product", // x\n "name": "A\nB", "offers": {"price": "9.50",},} -->'
    assert load_block(raw) == {"@type": "Product", "name": "A\nB", "offers": {"price": "9.50"}}


def test_entity_encoded_jsonld_is_decoded() -> None:
    """Blocks whose quotes were HTML-escaped by a template still parse."""
    assert load_block("{&quot;@type&quot;: &quot;Product&quot;,}") == {"@type": "Product"}


def test_graph_references_are_resolved() -> None:
    """Products in @graph get their offers and brand through @id references."""
    head = """<script type="application/ld+json">{"@graph": [
      {"@type": "Product", "@id": "#p", "name": "Lamp", "offers": {"@id": "#o"}, "brand": {"@id": "#b"}},
      {"@type": "Offer", "@id": "#o", "price": 12, "priceCurrency": "EUR"},
      {"@type": "Brand", "@id": "#b", "name": "Lumo"}]}</script>"""
    doc = parse_document(_page(head), URL)
    record = product_record(product_nodes(blocks(doc.root))[0], "jsonld")
    assert (record.name, record.brand, record.offers[0].price, record.offers[0].currency) == (
        "Lamp",
        "Lumo",
        "12",
        "EUR",
    )


def test_item_lists_are_not_the_product() -> None:
    """Products inside an ItemList (related items) are not taken as the page's product."""
    head = """<script type="application/ld+json">{"@type": "ItemList", "itemListElement": [
      {"@type": "ListItem", "item": {"@type": "Product", "name": "Other"}}]}</script>"""
    assert product_nodes(blocks(parse_document(_page(head), URL).root)) == []


def test_price_specification_list_price_is_regular() -> None:
    """A StrikethroughPrice specification becomes the regular price, the plain one the price."""
    node = {
        "@type": "Product",
        "name": "X",
        "offers": {
            "@type": "Offer",
            "priceCurrency": "PLN",
            "priceSpecification": [{"price": 10}, {"price": 15, "priceType": "https://schema.org/ListPrice"}],
        },
    }
    offer = product_record(node, "jsonld").offers[0]
    assert (offer.price, offer.regular) == ("10", "15")


def test_microdata_nested_offer_and_brand() -> None:
    """Microdata properties of nested items (offers, brand) stay with those items."""
    body = """<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Mug</h1>
    <div itemprop="brand" itemscope itemtype="https://schema.org/Brand">
      <span itemprop="name">Clay</span></div>
    <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
      <span itemprop="price" content="9.99">$9.99</span><meta itemprop="priceCurrency" content="USD"></div>
    <div itemprop="isRelatedTo" itemscope itemtype="https://schema.org/Product">
      <span itemprop="name">Saucer</span></div>
    </div>"""
    items = MICRODATA.products(parse_document(_page(body=body), URL).root)
    assert len(items) == 1
    record = product_record(items[0], "microdata")
    assert (record.name, record.brand, record.offers[0].price) == ("Mug", "Clay", "9.99")


def test_rdfa_lite_product() -> None:
    """RDFa Lite (vocab/typeof/property) is read like microdata."""
    body = """<div vocab="https://schema.org/" typeof="Product"><span property="name">Bag</span>
    <div property="offers" typeof="Offer"><span property="price" content="245.00">245,00 €</span>
    <meta property="priceCurrency" content="EUR"></div></div>"""
    record = product_record(RDFA.products(parse_document(_page(body=body), URL).root)[0], "rdfa")
    assert (record.name, record.offers[0].price, record.offers[0].currency) == ("Bag", "245.00", "EUR")


def test_opengraph_product_tags() -> None:
    """og: and product: meta tags give name (without the site suffix), price and availability."""
    head = """<meta property="og:site_name" content="Shop"><meta property="og:title" content="Coat | Shop">
    <meta property="product:price:amount" content="189.00">
    <meta property="product:price:currency" content="GBP">
    <meta property="product:availability" content="out of stock">"""
    record = read_meta(parse_document(_page(head), URL).root).record()
    assert (record.name, record.offers[0].price, record.offers[0].availability) == (
        "Coat",
        "189.00",
        "OutOfStock",
    )


def test_meta_only_product_is_extracted() -> None:
    """A page with only OpenGraph product tags still yields a product."""
    head = """<meta property="og:type" content="product"><meta property="og:title" content="Scarf">
    <meta property="og:image" content="/scarf.jpg"><meta property="product:price:amount" content="25">
    <meta property="product:price:currency" content="usd">"""
    product = extract_product(_page(head), URL)
    assert (product.name, product.price, product.currency, product.images) == (
        "Scarf",
        "25.00",
        "USD",
        ["https://shop.example.com/scarf.jpg"],
    )


def test_data_vocabulary_microdata() -> None:
    """The older data-vocabulary.org Product/Offer (offerDetails, currency) is still read."""
    body = """<div itemscope itemtype="http://data-vocabulary.org/Product"><h1 itemprop="name">Cup</h1>
    <span itemprop="offerDetails" itemscope itemtype="http://data-vocabulary.org/Offer">
    <meta itemprop="currency" content="USD"><span itemprop="price">12.50</span></span></div>"""
    product = extract_product(_page(body=body), URL)
    assert (product.name, product.price, product.currency) == ("Cup", "12.50", "USD")


def test_a_microdata_price_holding_its_struck_price_reads_both() -> None:
    """An itemprop=price element with the old price struck inside it: the rest is the price, the struck part the
    regular price, and markup written as shown ("$39.99") names its currency."""
    body = (
        '<div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Shift dress</h1>'
        '<span itemprop="price"><span class="strikethrough">$79.</span><span class="strikethrough">99</span>'
        "<span>$</span><span>39.</span><span>99</span></span></div>"
    )
    product = extract_product(_page(body=body), URL)
    assert (product.price, product.regularPrice, product.currency) == ("39.99", "79.99", "USD")


def test_labels_printed_into_identifiers_and_links_as_brands_are_cleaned() -> None:
    """ "sku:CAE5D4" is CAE5D4; a brand linked to its search page is its text; a Book with an offer is a product."""
    body = (
        '<div itemscope itemtype="http://schema.org/Book"><h1 itemprop="name">Astrophysics</h1>'
        '<meta itemprop="sku" content="sku:CAE5D4"><a itemprop="brand" href="/search?q=brand:norton">Norton</a>'
        '<div itemprop="offers" itemscope itemtype="http://schema.org/Offer">'
        '<meta itemprop="price" content="11.37"><meta itemprop="priceCurrency" content="USD"></div></div>'
    )
    product = extract_product(_page(body=body), URL)
    assert (product.sku, product.brand, product.price) == ("CAE5D4", "Norton", "11.37")
