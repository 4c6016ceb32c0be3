from __future__ import annotations

import pytest

from services.renderer.overlay.price import format_price, offer_label


@pytest.mark.parametrize(
    ("price", "currency", "language", "expected"),
    [
        ("1234.56", "EUR", "de", "1.234,56\u00a0€"),
        ("1299", "USD", "en", "$1,299.00"),
        ("12800", "JPY", "ja", "¥12,800"),
        ("1234.50", "CHF", "de", "CHF\u00a01\u2019234.50"),
        ("123456", "INR", "en-IN", "₹1,23,456.00"),
        ("99.9", "GBP", "en-GB", "£99.90"),
    ],
)
def test_prices_follow_the_locale(price: str, currency: str, language: str, expected: str) -> None:
    """Prices print with the locale's grouping, decimal mark and symbol placement."""
    assert format_price(price, currency, language) == expected


def test_unparsable_price_is_shown_as_written() -> None:
    """A price the shop wrote in words is printed as-is rather than dropped or invented."""
    assert format_price("ab 10", "EUR", "de") == "ab 10"
    assert format_price(None, "EUR", "de") is None


def test_unknown_locale_falls_back_to_english() -> None:
    """A language tag babel does not know still produces a readable price."""
    assert format_price("5", "USD", "xx-YY") == "$5.00"


def test_no_bidi_marks_leak_into_rtl_prices() -> None:
    """CLDR's invisible bidi marks are removed: fonts have no glyph for them."""
    text = format_price("1234.56", "ILS", "he")
    assert text is not None and "\u200f" not in text and "₪" in text


def test_offer_computed_from_regular_price() -> None:
    """Without shop text, the badge shows the rounded discount from regular vs sale price."""
    assert offer_label(None, "80", "100") == "-20%"
    assert offer_label(None, "129.90", "159.90") == "-19%"


def test_offer_prefers_shop_text_and_skips_non_discounts() -> None:
    """Shop offer text wins; no badge when the price is not lower or the discount rounds to 0."""
    assert offer_label("Save £15", "80", "100") == "Save £15"
    assert offer_label(None, "100", "100") is None
    assert offer_label(None, "99.9", "100") is None
    assert offer_label(None, "10", None) is None
