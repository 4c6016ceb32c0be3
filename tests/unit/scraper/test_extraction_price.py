"""Amount parsing and currency resolution for visible and markup prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.common.extraction.currency import LocaleHints, currency_from_text
from services.common.extraction.price import format_amount, parse_amount, parse_markup_amount


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("1.234,56 €", "EUR", "1234.56"),
        ("€1,234.56", "EUR", "1234.56"),
        ("CHF 1'234.50", "CHF", "1234.50"),
        ("₹1,23,456", "INR", "123456"),
        ("¥12,800", "JPY", "12800"),
        ("12 800 ₽", "RUB", "12800"),
        ("$1,299", "USD", "1299"),
        ("$12.99", "USD", "12.99"),
        ("34.000 €", "EUR", "34000"),
        ("KD 34.000", "KWD", "34.000"),
        ("R$ 1.299,90", "BRL", "1299.90"),
        ("1 295 kr", "SEK", "1295"),
    ],
)
def test_visible_notations(text: str, currency: str, expected: str) -> None:
    """Every common way of writing a price yields the amount a person reads."""
    assert parse_amount(text, currency) == Decimal(expected)


def test_three_digit_group_depends_on_currency() -> None:
    """ "34.000" is thirty-four thousand euros but thirty-four Kuwaiti dinars."""
    assert parse_amount("34.000", "EUR") == Decimal("34000")
    assert parse_amount("34.000", "KWD") == Decimal("34.000")


def test_markup_machine_format_and_shop_mistakes() -> None:
    """Markup "34.000" is a decimal, but "1.299" for euros is a thousands group the shop wrote."""
    assert parse_markup_amount("34.000", "EUR") == Decimal("34.000")
    assert parse_markup_amount("1.299", "EUR") == Decimal("1299")
    assert parse_markup_amount("1,299.00", "USD") == Decimal("1299.00")


def test_format_uses_minor_units() -> None:
    """Formatting follows the currency's decimals without dropping precision."""
    assert format_amount(Decimal("1234.5"), "EUR") == "1234.50"
    assert format_amount(Decimal("12800"), "JPY") == "12800"
    assert format_amount(Decimal("34.5"), "KWD") == "34.500"
    assert format_amount(Decimal("0.125"), "USD") == "0.125"


@pytest.mark.parametrize(
    ("text", "hints", "expected"),
    [
        ("$19.99", LocaleHints("en", "US"), "USD"),
        ("$19.99", LocaleHints("en", "CA"), "CAD"),
        ("$19.99", LocaleHints("en", "AU"), "AUD"),
        ("$1,899.00", LocaleHints("es", "MX"), "MXN"),
        ("R$ 49,90", LocaleHints("pt", "BR"), "BRL"),
        ("¥1,299", LocaleHints("zh", "CN"), "CNY"),
        ("¥1,299", LocaleHints("ja", "JP"), "JPY"),
        ("499 kr", LocaleHints("sv", None), "SEK"),
        ("499 kr", LocaleHints("da", "DK"), "DKK"),
        ("49,99 zł", LocaleHints("pl", "PL"), "PLN"),
        ("12.500 د.ك", LocaleHints("ar", "KW"), "KWD"),
        ("19,90 EUR", LocaleHints(None, None), "EUR"),
    ],
)
def test_currency_symbols_resolved_with_locale(text: str, hints: LocaleHints, expected: str) -> None:
    """Ambiguous symbols ($, ¥, kr) take the page's region or language into account."""
    assert currency_from_text(text, hints) == expected


def test_locale_hints_from_tags_and_domain() -> None:
    """Language and region come from the tags first, the domain's country code last."""
    assert LocaleHints.build(["de-CH"], "https://shop.example.com/") == LocaleHints("de", "CH")
    assert LocaleHints.build(["en"], "https://shop.example.ca/p") == LocaleHints("en", "CA")
    assert LocaleHints.build([None, "fr_FR"], None) == LocaleHints("fr", "FR")


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("$15 15", "USD", "15"),  # a hidden duplicate beside the amount: a space groups only threes
        ("1 234 567,00 €", "EUR", "1234567.00"),
        ("130, 38 zł", "PLN", "130.38"),  # a stray space before the cents
        ("１２，８００円", "JPY", "12800"),  # full-width digits
        ("۱۲۳٫۵۰", "IRR", "123.50"),  # Persian digits with the Arabic decimal mark
        ("12\u202f800\u00a0₽", "RUB", "12800"),  # narrow no-break and no-break spaces
    ],
)
def test_numbers_as_people_write_them(text: str, currency: str, expected: str) -> None:
    """Grouping only by threes, stray spaces, full-width and Persian digits, every kind of space."""
    assert parse_amount(text, currency) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "hints", "expected"),
    [
        ("$1,190.00 AUD", LocaleHints("en", "US"), "AUD"),  # a code beats the shared symbol
        ("SGD4.90 $", LocaleHints(), "SGD"),
        ("EUR29.66", LocaleHints(), "EUR"),
        ("118,99 TL", LocaleHints(), "TRY"),
        ("Kraft paper 3 kr", LocaleHints("sv", "SE"), "SEK"),  # "kr" only as a word of its own
        ("Kraft paper 30", LocaleHints("sv", "SE"), None),
        ("R$ 10,00", LocaleHints("pt", "BR"), "BRL"),
        ("Special PriceKD 189.500", LocaleHints(), "KWD"),  # a label run into the symbol across elements
    ],
)
def test_currency_from_code_symbol_and_locale(text: str, hints: LocaleHints, expected: str | None) -> None:
    """Codes first, then unambiguous symbols, then shared ones by the page's region; letter symbols are words."""
    assert currency_from_text(text, hints) == expected
