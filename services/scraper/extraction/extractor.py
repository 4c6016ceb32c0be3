"""extract_product: one parse, every source read from it, then the cross-checked merge."""

from __future__ import annotations

from services.common.product import Product

from . import jsonld
from .currency import LocaleHints, normalize_currency
from .document import parse_document
from .dom import element_text, find_layout
from .dom_facts import gallery_images, offer_text, visible_availability
from .dom_labels import PageLabels, form_sku
from .dom_price import read_visible_prices
from .embedded import embedded_records
from .errors import NO_PRICE_REASON, NoProductError
from .items import MICRODATA, RDFA
from .merge import choose_main, first_value, language_tag, merge_images
from .meta import read_meta
from .price import format_amount
from .pricing import decide_price, discount_text
from .record import ProductRecord
from .schema import product_record
from .text import plain_text, truncate

__all__ = ["extract_product"]


def extract_product(html: bytes | str, base_url: str, *, content_language: str | None = None) -> Product:
    """The product on a page. Pure CPU and synchronous: callers run it in a thread.

    Raises NoProductError when the page shows no product, or a product whose price is
    not in the HTML (rendered by JavaScript): a guessed price is worse than none.
    """
    doc = parse_document(html, base_url)
    root = doc.root
    blocks = jsonld.blocks(root)
    meta = read_meta(root)
    layout = find_layout(root)
    title = element_text(layout.title) if layout.title is not None else None

    structured: list[ProductRecord] = []
    for source, nodes in (
        ("jsonld", jsonld.product_nodes(blocks)),
        ("microdata", MICRODATA.products(root)),
        ("rdfa", RDFA.products(root)),
    ):
        main = choose_main([product_record(n, source) for n in nodes], title, base_url)
        if main is not None:
            structured.append(main)
    meta_record = meta.record()

    page_lang = root.get("lang") or root.get("xml:lang")
    language = language_tag(
        first_value(
            [
                page_lang,
                meta.get("og:locale"),
                content_language,
                meta.get("http-equiv:content-language"),
                jsonld.language_of_blocks(blocks),
            ]
        )
    )
    hints = LocaleHints.build([language, meta.get("og:locale"), content_language], base_url)
    # Trust: schema.org markup, then the shop's platform and framework data, then meta tags,
    # then analytics data layers; the visible buy box cross-checks all of them (pricing.py).
    page_title = root.findtext(".//title")
    embedded, analytics = embedded_records(root, hints, [title, meta_record.name, page_title], base_url)
    records = [*structured, *embedded, meta_record, *analytics]
    page_currency = next(
        (c for r in records for o in r.offers if (c := normalize_currency(o.currency))), None
    )
    visible = read_visible_prices(layout, hints, page_currency)
    decision = decide_price(records, visible, base_url, page_currency)

    has_product = (
        bool(structured)
        or any(r.offers for r in (*embedded, *analytics))
        or meta.is_product_page
        or (layout.title is not None and layout.buy_button is not None)
    )
    if not has_product:
        raise NoProductError("no product found on the page: no product markup and no title with a buy button")
    if decision.amount is None:
        raise NoProductError(
            f"{NO_PRICE_REASON}: the page describes a product but shows no price for it"
            " (it is probably rendered by JavaScript)"
        )

    currency = decision.currency
    price = format_amount(decision.amount, currency)
    regular = format_amount(decision.regular, currency) if decision.regular is not None else None
    discount = (decision.regular - decision.amount) / decision.regular * 100 if decision.regular else None
    promo = offer_text(layout, discounted=decision.regular is not None, discount=discount)
    offer = promo or (discount_text(decision.amount, decision.regular) if decision.regular else None)
    visible_stock = visible_availability(layout)
    meta_stock = meta_record.offers[0].availability if meta_record.offers else None
    availability = decision.availability or meta_stock or visible_stock
    if visible_stock == "OutOfStock" and layout.buy_button is not None:
        availability = "OutOfStock"  # a sold-out buy button beats stale markup

    # Printed labels are read only when markup is silent: they scan the page.
    labels = PageLabels(layout)
    brand = first_value([*(r.brand for r in (*structured, *embedded)), meta_record.brand]) or labels.brand()
    sku = first_value([*(r.sku for r in structured), decision.sku, meta_record.sku, *(r.sku for r in embedded)])
    sku = sku or form_sku(layout) or labels.sku()
    gtin = first_value([*(r.gtin for r in (*structured, *embedded)), meta_record.gtin]) or labels.gtin()
    return Product(
        name=first_value([*(r.name for r in structured), title, meta_record.name]),
        price=price,
        currency=currency,
        regularPrice=regular,
        offer=offer,
        availability=availability,
        brand=brand,
        sku=sku,
        gtin=gtin,
        description=truncate(
            plain_text(first_value([*(r.description for r in structured), meta_record.description]))
        ),
        images=merge_images(
            [*(r.images for r in structured), meta_record.images, gallery_images(layout, doc)], doc
        ),
        language=language,
        url=base_url or meta_record.url,
    )
