"""Currency codes from symbols, resolved with the page's locale and domain.

A "$" alone means USD only on US pages; on a .ca shop or an en-CA page it is CAD.
The same goes for "¥" (JPY or CNY) and "kr" (SEK, NOK, DKK, ISK).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "LocaleHints",
    "currency_from_text",
    "currency_token",
    "is_ambiguous_token",
    "shown_means",
    "normalize_currency",
    "minor_units",
]

#: Currencies whose amounts have no minor unit, or three decimals (ISO 4217).
ZERO_DECIMAL = frozenset("JPY KRW VND CLP ISK PYG UGX XAF XOF KMF GNF RWF DJF BIF VUV XPF".split())
THREE_DECIMAL = frozenset("KWD BHD OMR JOD TND LYD IQD".split())

ISO_CODES = frozenset(
    """USD EUR GBP CHF JPY CNY RMB INR RUB SEK NOK DKK ISK PLN CZK HUF RON BGN TRY UAH BRL MXN ARS CLP COP
    PEN CAD AUD NZD HKD SGD TWD KRW THB VND IDR MYR PHP ZAR NGN EGP MAD AED SAR QAR KWD BHD OMR JOD ILS
    KZT GEL AZN PKR BDT LKR""".split()
)

# Longest first so "R$" wins over "$" and "US$" over "$".
_SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "MX$": "MXN",
    "NT$": "TWD",
    "R$": "BRL",
    "CN¥": "CNY",
    "JP¥": "JPY",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₽": "RUB",
    "₩": "KRW",
    "₺": "TRY",
    "₪": "ILS",
    "₫": "VND",
    "฿": "THB",
    "₴": "UAH",
    "₱": "PHP",
    "₦": "NGN",
    "₸": "KZT",
    "₼": "AZN",
    "₾": "GEL",
    "zł": "PLN",
    "Kč": "CZK",
    "руб": "RUB",
    "円": "JPY",
    "元": "CNY",
    "د.ك": "KWD",
    "د.إ": "AED",
    "ر.س": "SAR",
    "ج.م": "EGP",
    "lei": "RON",
    "Ft": "HUF",
    "Fr.": "CHF",
    "Rs.": "INR",
    "KD": "KWD",
    "BD": "BHD",
    "د.ب": "BHD",
    "ر.ع": "OMR",
    "ر.ق": "QAR",
}
_AMBIGUOUS = {"$": "dollar", "¥": "yen", "￥": "yen", "kr": "krona", "kr.": "krona"}

_DOLLAR_BY_REGION = {
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "HK": "HKD",
    "SG": "SGD",
    "MX": "MXN",
    "TW": "TWD",
    "AR": "ARS",
    "CL": "CLP",
    "CO": "COP",
}
_KRONA_BY_REGION = {"SE": "SEK", "NO": "NOK", "DK": "DKK", "IS": "ISK"}
_KRONA_BY_LANGUAGE = {"sv": "SEK", "nb": "NOK", "nn": "NOK", "no": "NOK", "da": "DKK", "is": "ISK"}
_REGION_BY_TLD = {
    "ca": "CA",
    "au": "AU",
    "nz": "NZ",
    "hk": "HK",
    "sg": "SG",
    "mx": "MX",
    "tw": "TW",
    "ar": "AR",
    "cl": "CL",
    "co": "CO",
    "se": "SE",
    "no": "NO",
    "dk": "DK",
    "is": "IS",
    "cn": "CN",
    "jp": "JP",
    "uk": "GB",
    "us": "US",
}

_SYMBOLS.update({"TL": "TRY", "Rs": "INR", "zl": "PLN", "Kc": "CZK", "лв": "BGN", "грн": "UAH", "р.": "RUB"})


def _token_pattern(symbol: str) -> str:
    # A symbol made of letters is a word of its own: "kr" is no krona in "kraft", nor "TL" in "TITLE".
    # A capital may follow a word run into it ("Special PriceKD 189.500": text joined across elements).
    escaped = re.escape(symbol)
    if symbol[0].isalpha() and not symbol[0].isupper():
        escaped = r"(?<![^\W\d_])" + escaped
    if symbol[-1].isascii() and symbol[-1].isalpha():  # "руб" still opens "рублей"
        escaped += r"(?![^\W\d_])"
    return escaped


_TOKEN_RE = re.compile(
    "|".join(_token_pattern(s) for s in sorted([*_SYMBOLS, *_AMBIGUOUS], key=len, reverse=True))
    + r"|(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])"
)


@dataclass(frozen=True, slots=True)
class LocaleHints:
    """Language and region of the page, from html lang, og:locale, headers and the domain."""

    language: str | None = None  # primary subtag, lower case: "de"
    region: str | None = None  # upper case: "CH"

    @classmethod
    def build(cls, tags: list[str | None], url: str | None) -> LocaleHints:
        language = region = None
        for tag in tags:
            if not tag:
                continue
            parts = re.split(r"[-_]", tag.strip())
            language = language or (parts[0].lower() or None)
            if len(parts) > 1 and len(parts[-1]) == 2 and parts[-1].isalpha():
                region = region or parts[-1].upper()
        if url:
            host = (urlsplit(url).hostname or "").rsplit(".", 1)[-1]
            region = region or _REGION_BY_TLD.get(host) or (host.upper() if len(host) == 2 else None)
        return cls(language, region)


def minor_units(currency: str | None) -> int:
    if currency in ZERO_DECIMAL:
        return 0
    return 3 if currency in THREE_DECIMAL else 2


def normalize_currency(value: str | None) -> str | None:
    """An ISO 4217 code from a markup value ("eur", "€", "RMB")."""
    if not value:
        return None
    text = value.strip()
    if text.upper() in ISO_CODES:
        return "CNY" if text.upper() == "RMB" else text.upper()
    return _SYMBOLS.get(text)


def currency_from_text(text: str, hints: LocaleHints) -> str | None:
    """The currency a visible price string is written in, or None when it names none.

    A code or an unambiguous symbol anywhere in the string beats a shared symbol beside
    it: "$1,190.00 AUD" is in Australian dollars whatever the page's region.
    """
    tokens = [m.group(0) for m in _TOKEN_RE.finditer(text)]
    for token in tokens:
        if token in _SYMBOLS:
            return _SYMBOLS[token]
        if token in ISO_CODES:
            return normalize_currency(token)
    for token in tokens:
        kind = _AMBIGUOUS.get(token)
        if kind == "dollar":
            return _DOLLAR_BY_REGION.get(hints.region or "", "USD")
        if kind == "yen":
            chinese = hints.language == "zh" or hints.region == "CN"
            return "CNY" if chinese and hints.region != "JP" else "JPY"
        if kind == "krona":
            by_region = _KRONA_BY_REGION.get(hints.region or "")
            return by_region or _KRONA_BY_LANGUAGE.get(hints.language or "", "SEK")
    return None


def currency_token(text: str) -> str | None:
    """The symbol or code a price string names its currency with ("$", "kr", "EUR")."""
    for match in _TOKEN_RE.finditer(text):
        token = match.group(0)
        if token in _SYMBOLS or token in _AMBIGUOUS or token in ISO_CODES:
            return token
    return None


def is_ambiguous_token(token: str) -> bool:
    """ "$", "¥", "kr": a symbol several currencies share, resolved only by the page's locale."""
    return token in _AMBIGUOUS


_FAMILIES: dict[str, frozenset[str]] = {
    "dollar": frozenset({"USD", *_DOLLAR_BY_REGION.values()}),
    "yen": frozenset({"JPY", "CNY"}),
    "krona": frozenset(_KRONA_BY_REGION.values()),
}


def shown_means(token: str, code: str) -> bool:
    """Whether a symbol on the page can stand for ``code`` ("$" for AUD, "kr" for NOK, "€" for EUR)."""
    family = _AMBIGUOUS.get(token)
    if family is not None:
        return code in _FAMILIES[family]
    return _SYMBOLS.get(token) == code or normalize_currency(token) == code
