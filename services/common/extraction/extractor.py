"""extract_with_evidence: one parse, every source read from it, the cross-checked merge, and
the confidence and provenance of every fact; extract_product keeps only the product."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.fact_evidence import Evidence
from services.common.product import Product

from . import jsonld
from .currency import LocaleHints, normalize_currency
from .document import parse_document
from .dom import element_text, find_layout
from .dom_facts import gallery_images, offer_text, visible_availability
from .dom_labels import PageLabels, form_sku, valid_gtin
from .dom_price import read_visible_prices
from .embedded import embedded_records
from .errors import NO_PRICE_REASON, NoPriceError, NoProductError
from .facts import FactBook, Offered, similar_words
from .items import MICRODATA, RDFA
from .merge import choose_main, complete_name, first_value, language_tag, merge_images, product_name
from .meta import read_meta
from .price import format_amount
from .price_evidence import price_facts
from .pricing import decide_price, discount_text
from .provenance import around, css_path, record_path
from .record import ProductRecord
from .schema import product_record
from .text import plain_text, truncate

__all__ = ["Extraction", "extract_product", "extract_with_evidence"]


@dataclass(frozen=True, slots=True)
class Extraction:
    """The product and, for each of its non-empty fields, how sure we are and why."""

    product: Product
    evidence: Evidence


def extract_product(html: bytes | str, base_url: str, *, content_language: str | None = None) -> Product:
    """The product on a page (see ``extract_with_evidence``)."""
    return extract_with_evidence(html, base_url, content_language=content_language).product


def extract_with_evidence(html: bytes | str, base_url: str, *, content_language: str | None = None) -> Extraction:
    """The product on a page with its evidence. Pure CPU and synchronous: callers run it in a thread.

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
        main = choose_main(
            [product_record(n, source, record_path(source, i)) for i, n in enumerate(nodes)], title, base_url
        )
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
    page_currency = next((c for r in records for o in r.offers if (c := normalize_currency(o.currency))), None)
    visible = read_visible_prices(layout, hints, page_currency)
    decision = decide_price(records, visible, base_url, page_currency, hints)

    has_product = (
        bool(structured)
        or any(r.offers for r in (*embedded, *analytics))
        or meta.is_product_page
        or (layout.title is not None and layout.buy_button is not None)
    )
    if not has_product:
        raise NoProductError("no product found on the page: no product markup and no title with a buy button")
    if decision.amount is None:
        raise NoPriceError(
            f"{NO_PRICE_REASON}: the page describes a product but shows no price for it (it is probably "
            "drawn by the page's JavaScript, which we do not run): submit the product facts with the job "
            "(product.name, product.price, product.currency), or ask the shop to put the price in its HTML "
            "(schema.org Offer markup)"
        )

    currency = decision.currency
    book = FactBook()
    book.evidence.update(price_facts(decision, records, visible, hints))
    price = format_amount(decision.amount, currency)
    regular = format_amount(decision.regular, currency) if decision.regular is not None else None
    discount = (decision.regular - decision.amount) / decision.regular * 100 if decision.regular else None
    promo = offer_text(layout, discounted=decision.regular is not None, discount=discount)
    offer = promo or (discount_text(decision.amount, decision.regular) if decision.regular else None)
    if offer:
        _offer_fact(book, offer, promo is not None)

    visible_stock = visible_availability(layout)
    meta_stock = meta_record.offers[0].availability if meta_record.offers else None
    button = css_path(layout.buy_button)
    stock = [
        Offered(decision.availability, decision.source or "markup", "availability"),
        Offered(meta_stock, "meta", 'meta[property="product:availability"]'),
        Offered(visible_stock, "dom", button, around(layout.buy_button)),
    ]
    if visible_stock == "OutOfStock" and layout.buy_button is not None:
        stock.insert(0, stock.pop())  # a sold-out buy button beats stale markup
    availability = book.choose("availability", stock)

    # Printed labels are read only when markup is silent: they scan the page.
    labels = PageLabels(layout)
    brand = book.choose(
        "brand",
        [
            *(Offered(r.brand, r.source, f"{r.path}.brand") for r in (*structured, *embedded)),
            Offered(meta_record.brand, "meta", 'meta[property="product:brand"]'),
            Offered(labels.brand() if not any(r.brand for r in records) else None, "dom:label"),
        ],
    )
    sku_offered = [
        *(Offered(r.sku, r.source, f"{r.path}.sku") for r in structured),
        Offered(decision.sku, decision.source or "markup", "offers.sku"),
        Offered(meta_record.sku, "meta", 'meta[property="product:retailer_item_id"]'),
        *(Offered(r.sku, r.source, f"{r.path}.sku") for r in embedded),
    ]
    if not any(o.value for o in sku_offered):
        sku_offered += [
            Offered(form_sku(layout), "dom:form", "form input[type=hidden]"),
            Offered(labels.sku(), "dom:label"),
        ]
    sku = book.choose("sku", sku_offered)
    gtins = [
        *(Offered(r.gtin, r.source, f"{r.path}.gtin") for r in (*structured, *embedded)),
        Offered(meta_record.gtin, "meta", 'meta[property="product:gtin"]'),
    ]
    # A number failing the GS1 check digit is some other code, wherever it was written.
    valid = [o for o in gtins if o.value and valid_gtin(_digits(o.value))]
    if not valid and not any(o.value for o in gtins):
        valid = [Offered(labels.gtin(), "dom:label")]
    gtin = book.choose("gtin", [Offered(_digits(o.value or ""), o.source, o.path) for o in valid])

    names = [
        *(Offered(product_name(r.name), r.source, f"{r.path}.name") for r in structured),
        Offered(product_name(title), "dom", css_path(layout.title)),
        Offered(product_name(meta_record.name), "meta", 'meta[property="og:title"]'),
    ]
    name = complete_name(book.choose("name", names, similar_words), (o.value for o in names))
    description = truncate(
        plain_text(
            book.choose(
                "description",
                [
                    *(Offered(r.description, r.source, f"{r.path}.description") for r in structured),
                    Offered(meta_record.description, "meta", 'meta[property="og:description"]'),
                ],
                lambda a, b: True,
            )
        )
    )
    images = merge_images(
        [*(r.images for r in (*structured, *embedded)), meta_record.images, gallery_images(layout, doc)], doc
    )
    image_source = next((r.source for r in [*structured, *embedded, meta_record] if r.images), "dom")
    if images:
        book.choose("images", [Offered(images[0], image_source, "image")])
    if language:
        book.choose("language", [Offered(language, "dom" if page_lang else "meta", "html[lang]")])
    url = base_url or meta_record.url
    if url:
        book.choose("url", [Offered(url, "url" if base_url else "meta", "")])
    product = Product(
        name=name,
        price=price,
        currency=currency,
        regularPrice=regular,
        offer=offer,
        availability=availability,
        brand=brand,
        sku=sku,
        gtin=gtin,
        description=description,
        images=images,
        language=language,
        url=url,
    )
    return Extraction(product, book.evidence)


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def _offer_fact(book: FactBook, offer: str, from_badge: bool) -> None:
    """The shop's own badge is as sure as the prices it agrees with; a computed one is theirs."""
    price = book.evidence.get("price")
    regular = book.evidence.get("regularPrice")
    floor = min(price.confidence if price else 0.0, regular.confidence if regular else 1.0)
    confidence = min(0.9, floor) if from_badge else floor
    book.record("offer", Offered(offer, "dom" if from_badge else "computed", ""), confidence, [Offered(offer, "dom")])
