"""Prices and offer labels, formatted the way shoppers in the product's locale read them."""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import UnknownCurrencyError, format_currency

__all__ = ["format_price", "offer_label", "parse_amount", "resolve_locale"]

# A bare language ("de") formats CHF the German way ("1.234,50 CHF"), but shoppers paying
# in CHF expect the Swiss style ("CHF 1'234.50"): the currency tells us the market.
_CURRENCY_TERRITORY = {
    "CHF": "CH",
    "INR": "IN",
    "GBP": "GB",
    "CAD": "CA",
    "AUD": "AU",
    "NZD": "NZ",
    "JPY": "JP",
    "MXN": "MX",
    "BRL": "BR",
    "USD": "US",
    "CNY": "CN",
    "KRW": "KR",
    "SEK": "SE",
    "NOK": "NO",
    "DKK": "DK",
    "PLN": "PL",
    "CZK": "CZ",
    "ILS": "IL",
    "AED": "AE",
    "SAR": "SA",
    "RUB": "RU",
    "TRY": "TR",
    "ZAR": "ZA",
    "SGD": "SG",
}
_DEFAULT_LOCALE = Locale("en", "US")


def resolve_locale(language: str | None, currency: str | None = None) -> Locale:
    """The babel locale for a page language ("de", "de-CH", "pt_BR"), hinted by currency."""
    if not language:
        language = "en"
    tag = language.strip().replace("-", "_")
    try:
        locale = Locale.parse(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        try:
            locale = Locale.parse(tag.split("_")[0])
        except (UnknownLocaleError, ValueError, TypeError):
            return _DEFAULT_LOCALE
    territory = _CURRENCY_TERRITORY.get((currency or "").upper())
    if locale.territory is None and territory:
        try:
            return Locale.parse(f"{locale.language}_{territory}")
        except (UnknownLocaleError, ValueError):
            pass
    return locale


def parse_amount(value: str | None) -> Decimal | None:
    """A positive Decimal from the scraper's decimal string, or None."""
    if value is None:
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _clean(text: str) -> str:
    # CLDR puts bidi marks (U+200F) and no-break spaces in some patterns; the marks have no
    # glyphs in most fonts and our shaper does bidi itself, so drop them.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    # The full-width yen sign is CJK typography; the Latin price face has the plain one.
    return text.replace("\uffe5", "\u00a5")


# Babel's formatting takes ~1 ms; every format of a job prints the same two prices.
@lru_cache(maxsize=512)
def format_price(price: str | None, currency: str | None, language: str | None) -> str | None:
    """ "1.234,56 €", "$1,299.00", "¥12,800": the price as the locale writes it.

    Unknown currency codes still print ("1,234.50 XYZ"); an unparsable price is shown as
    the shop wrote it, since a wrong number is worse than an unformatted one.
    """
    amount = parse_amount(price)
    if amount is None:
        return price.strip() if price and price.strip() else None
    locale = resolve_locale(language, currency)
    if not currency:
        return _clean(
            locale.number_symbols.get("latn", {}).get("decimal", ".").join(f"{amount:.2f}".split("."))
        )
    try:
        return _clean(format_currency(amount, currency.upper(), locale=locale))
    except (UnknownCurrencyError, ValueError):
        return f"{amount:,.2f} {currency.upper()}"


def offer_label(offer: str | None, price: str | None, regular_price: str | None) -> str | None:
    """The badge text: the shop's own offer text, else "-20%" from regular vs sale price."""
    if offer and offer.strip():
        return " ".join(offer.split())
    sale, regular = parse_amount(price), parse_amount(regular_price)
    if sale is None or regular is None or regular <= 0 or sale >= regular:
        return None
    percent = ((regular - sale) / regular * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if percent < 1:
        return None  # "-0%" would advertise nothing
    return f"-{percent}%"
