"""extract_with_evidence: every fact has a confidence, a source and a path; prices keep their candidates."""

from __future__ import annotations

import pytest

from services.common.extraction import NoProductError, extract_product, extract_with_evidence
from services.common.fact_policy import PRINT_CONFIDENCE, uncertain_facts

URL = "https://shop.example.com/p/lamp"


def _page(head: str = "", body: str = "") -> str:
    return f'<html lang="en-US"><head>{head}</head><body>{body}</body></html>'


def _jsonld(price: str, currency: str = "USD", extra: str = "") -> str:
    return (
        '<script type="application/ld+json">{"@type": "Product", "name": "Desk Lamp", "sku": "LMP-1",'
        f' "gtin13": "4006381333931"{extra}, "offers": {{"@type": "Offer", "price": "{price}",'
        f' "priceCurrency": "{currency}", "availability": "https://schema.org/InStock"}}}}</script>'
    )


BUY_BOX = (
    '<div class="pdp"><h1>Desk Lamp</h1><div class="product-price">{shown}</div><button>Add to cart</button></div>'
)


def test_every_field_with_a_value_has_evidence_in_range() -> None:
    """Each non-empty product field has a FactEvidence with a confidence in [0, 1], a source and a path."""
    result = extract_with_evidence(_page(_jsonld("49.90"), BUY_BOX.format(shown="$49.90")), URL)
    product = result.product.to_dict()
    filled = {k for k, v in product.items() if v not in (None, "", [])}
    assert filled <= set(result.evidence)
    for name in filled:
        fact = result.evidence[name]
        assert 0.0 <= fact.confidence <= 1.0 and fact.source
    assert result.evidence["price"].path.endswith("offers.price")
    assert extract_product(_page(_jsonld("49.90"), BUY_BOX.format(shown="$49.90")), URL) == result.product


def test_markup_confirmed_by_the_buy_box_is_printed_and_keeps_both_candidates() -> None:
    """JSON-LD and the visible price agree: high confidence, and both are listed with their context."""
    result = extract_with_evidence(_page(_jsonld("49.90"), BUY_BOX.format(shown="$49.90")), URL)
    price = result.evidence["price"]
    assert price.confidence >= 0.9 and price.source == "jsonld"
    sources = {c.source for c in price.candidates}
    assert sources == {"jsonld", "dom"}
    dom = next(c for c in price.candidates if c.source == "dom")
    assert "product-price" in dom.path and "$49.90" in dom.context and len(dom.context) <= 200
    assert uncertain_facts(result.product, result.evidence) == []


def test_markup_contradicted_by_the_page_is_held_back() -> None:
    """The page shows another price than the markup: whichever wins, it is below the print threshold."""
    body = BUY_BOX.format(shown="$39.90") + '<span class="was">$44.90</span>'
    result = extract_with_evidence(_page(_jsonld("49.90"), body), URL)
    assert result.evidence["price"].confidence < PRINT_CONFIDENCE
    assert "price" in uncertain_facts(result.product, result.evidence)


def test_a_range_is_not_a_price_to_print() -> None:
    """An AggregateOffer from 10 to 40 gives its low end only as a low-confidence candidate."""
    head = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Desk Lamp", "offers":'
        ' {"@type": "AggregateOffer", "lowPrice": "10.00", "highPrice": "40.00", "priceCurrency": "EUR"}}</script>'
    )
    result = extract_with_evidence(_page(head), URL)
    assert result.product.price == "10.00"
    assert result.evidence["price"].confidence < PRINT_CONFIDENCE
    assert "range" in result.evidence["price"].candidates[0].context


def test_several_current_amounts_in_the_buy_box_lower_a_dom_price() -> None:
    """Without markup, one amount in the buy box is trusted more than one of three."""
    one = extract_with_evidence(_page(body=BUY_BOX.format(shown="$49.90")), URL)
    three = extract_with_evidence(
        _page(body=BUY_BOX.format(shown='$49.90</div><div class="price">$59.90</div><div class="price">$9.90')),
        URL,
    )
    assert one.evidence["price"].source == three.evidence["price"].source == "dom"
    assert three.evidence["price"].confidence < one.evidence["price"].confidence


def test_a_shared_dollar_sign_without_markup_is_less_sure_than_a_stated_code() -> None:
    """Currency stated in markup and shown as a matching symbol beats "$" read from the page alone."""
    stated = extract_with_evidence(_page(_jsonld("49.90", "CAD"), BUY_BOX.format(shown="$49.90")), URL)
    shown = extract_with_evidence(_page(body=BUY_BOX.format(shown="$49.90")), URL)
    assert stated.product.currency == "CAD" and stated.evidence["currency"].confidence >= 0.95
    assert shown.evidence["currency"].confidence < stated.evidence["currency"].confidence


def test_a_gtin_failing_its_check_digit_is_dropped_wherever_it_comes_from() -> None:
    """A GTIN whose GS1 check digit is wrong is some other number: no gtin rather than a wrong one."""
    good = extract_with_evidence(_page(_jsonld("5.00"), BUY_BOX.format(shown="$5.00")), URL)
    bad_head = _jsonld("5.00").replace("4006381333931", "4006381333932")
    bad = extract_with_evidence(_page(bad_head, BUY_BOX.format(shown="$5.00")), URL)
    assert good.product.gtin == "4006381333931" and "gtin" in good.evidence
    assert bad.product.gtin is None and "gtin" not in bad.evidence


def test_independent_sources_agreeing_on_a_name_raise_its_confidence() -> None:
    """The markup name matching the page's h1 is surer than the h1 alone."""
    both = extract_with_evidence(_page(_jsonld("5.00"), BUY_BOX.format(shown="$5.00")), URL)
    alone = extract_with_evidence(_page(body=BUY_BOX.format(shown="$5.00")), URL)
    assert both.evidence["name"].confidence > alone.evidence["name"].confidence


def test_no_product_still_raises() -> None:
    """A page without a product raises NoProductError from the evidence API too."""
    with pytest.raises(NoProductError):
        extract_with_evidence("<html><body><p>About us</p></body></html>", URL)


def test_the_same_page_gives_the_same_evidence() -> None:
    """Deterministic: two runs give equal evidence."""
    page = _page(_jsonld("49.90"), BUY_BOX.format(shown="$49.90"))
    assert extract_with_evidence(page, URL) == extract_with_evidence(page, URL)


@pytest.mark.parametrize(
    ("shown", "price"),
    [
        ("$19<sup>99</sup>", "19.99"),
        ("<sup>$</sup>809<sup>97</sup>", "809.97"),
        ('<span>$</span><span>27</span><span class="price-fraction">99</span>', "27.99"),
        ("$1,299<sup>00</sup>", "1299.00"),
    ],
)
def test_cents_drawn_apart_by_the_layout_are_cents(shown: str, price: str) -> None:
    """Cents in a superscript or an element named for them follow the units without a separator in the text."""
    assert extract_product(_page(body=BUY_BOX.format(shown=shown)), URL).price == price
