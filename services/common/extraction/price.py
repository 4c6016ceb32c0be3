"""Amounts from price strings: price-parser finds the number, the hints pick the separator.

price-parser alone reads "34.000" as 34000 and "KD 34.000" too; a Kuwaiti dinar has three
decimals, so there it is 34. The decimal separator is decided from the digits and the
currency, then handed to price-parser rather than re-parsing the number ourselves.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from price_parser import Price

from .currency import THREE_DECIMAL, LocaleHints, currency_from_text, minor_units

__all__ = ["ascii_digits", "read_price", "parse_amount", "parse_markup_amount", "format_amount", "decimal_separator"]

_GROUPING_CHARS = re.compile(r"[\s\u00a0\u202f\u2009'’`]")
_MACHINE_RE = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
# Arabic-Indic and Persian digits, with the Arabic decimal (U+066B) and thousands (U+066C) marks:
# price-parser reads only ASCII digits, so "١٬٢٩٩٫٠٠" becomes "1,299.00" first.
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "\u066b": ".",
        "\u066c": ",",
        # Full-width digits and separators (Japanese, Chinese pages): "１２，８００円".
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "\uff0c": ",",
        "\uff0e": ".",
        "\uff04": "$",
        "\uffe5": "￥",
    }
)


def decimal_separator(amount_text: str, currency: str | None) -> str | None:
    """Which of "." and "," is the decimal separator in ``amount_text`` (None: neither)."""
    text = _GROUPING_CHARS.sub("", amount_text)
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        return "." if last_dot > last_comma else ","
    sep = "." if last_dot >= 0 else "," if last_comma >= 0 else None
    if sep is None:
        return None
    other = "," if sep == "." else "."
    if text.count(sep) > 1:
        return other  # 1.234.567 or 1,23,456: only grouping repeats
    head, tail = text.rsplit(sep, 1)
    if len(tail) == 3 and head not in ("", "0") and currency not in THREE_DECIMAL:
        return other  # $1,299 and 34.000 €: a group of three is thousands
    return sep


_SPACED_NUMBER_RE = re.compile(r"\d[\d.,]*(?:[ \t\u00a0\u202f\u2009]+\d[\d.,]*)+")
_SPACE_RE = re.compile(r"[ \t\u00a0\u202f\u2009]+")
# "119. 95", "130, 38 zł": a stray space after the decimal separator, before the cents.
_STRAY_SPACE_RE = re.compile(r"(\d[.,]) (\d{1,2})(?!\d)")


def _first_spaced_number(text: str) -> str:
    """Cut ``text`` where a space stops being a thousands separator: "$15 15" is 15, then another 15.

    A space groups digits only in threes ("12 800", "1 234,56"); "15 15" is two numbers.
    """
    text = _STRAY_SPACE_RE.sub(r"\1\2", text)
    match = _SPACED_NUMBER_RE.search(text)
    if match is None:
        return text
    number = match.group(0)
    pos = 0
    for space in _SPACE_RE.finditer(number):
        head = number[pos : space.start()]
        group = re.match(r"\d*", number[space.end() :]).group(0)  # type: ignore[union-attr]
        if len(group) != 3 or (pos == 0 and len(head) > 3 and "," not in head and "." not in head):
            return text[: match.start() + space.start()]
        if pos > 0 and len(head) != 3:
            return text[: match.start() + space.start()]
        pos = space.end()
    return text


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


def parse_amount(text: str, currency: str | None = None) -> Decimal | None:
    """The amount in a visible price string such as "1.234,56 €" or "CHF 1'234.50"."""
    text = _first_spaced_number(text.translate(_DIGITS))
    found = Price.fromstring(text)
    if found.amount_text is None:
        return None
    sep = decimal_separator(found.amount_text, currency)
    if sep is not None:
        found = Price.fromstring(text, decimal_separator=sep)
    amount = found.amount
    return amount if amount is not None and amount >= 0 else None


def parse_markup_amount(value: str, currency: str | None) -> Decimal | None:
    """A price from markup, where schema.org asks for "1234.50" but shops write anything."""
    if _MACHINE_RE.match(value):
        amount = Decimal(value.strip())
        places = minor_units(currency)
        # "1.299" for euros cannot be 1.299 EUR: the shop wrote a thousands group.
        if "." in value and amount != amount.quantize(Decimal(1).scaleb(-places)):
            return parse_amount(value, currency)
        return amount
    return parse_amount(value, currency)


def format_amount(amount: Decimal, currency: str | None) -> str:
    """ "1234.50" for EUR, "12800" for JPY, "34.000" for KWD; never drops precision."""
    places = minor_units(currency)
    try:
        quantized = amount.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        return str(amount)
    if quantized != amount:
        return format(amount.normalize(), "f")
    return format(quantized, "f")


def read_price(
    text: str | None, currency_text: str | None = None, hints: LocaleHints | None = None
) -> tuple[Decimal | None, str | None]:
    """(amount, ISO currency) of a price string, the currency from it or else from ``currency_text``."""
    hints = hints or LocaleHints()
    currency = currency_from_text(text or "", hints) or currency_from_text(currency_text or "", hints)
    return (parse_amount(text, currency) if text else None), currency
