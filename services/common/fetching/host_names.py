"""Read a URL's host the way a browser (and libc) would, before we judge it.

``http://2130706433/``, ``http://0x7f.1/``, ``http://0177.0.0.1/`` and ``http://127.1/`` all
mean 127.0.0.1 to a browser and to ``getaddrinfo``. If we judged the raw text we would
wave them through as "names"; so we parse hosts with the WHATWG URL host rules (percent
decoding, IDNA, the legacy IPv4 number forms) and judge what they really mean.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote

from services.common.fetching.fetch_errors import UnsupportedUrlError

__all__ = ["ParsedHost", "parse_host"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# WHATWG "forbidden domain code points" (plus "%", which must be gone after decoding).
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f#%/:<>?@\[\\\]^|]")
_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")
_HEX_PART = re.compile(r"^0[xX][0-9a-fA-F]*$")
_OCTAL_PART = re.compile(r"^0[0-7]+$")
_DECIMAL_PART = re.compile(r"^(0|[1-9][0-9]*)$")


@dataclass(frozen=True)
class ParsedHost:
    """A host reduced to what it means: either an IP address or a lower-case DNS name."""

    name: str  # canonical text to put back in the URL ("127.0.0.1", "::1", "shop.example")
    address: IPAddress | None  # set when the host is an IP literal, in any spelling


def _invalid(host: str) -> UnsupportedUrlError:
    return UnsupportedUrlError(f"The address {host!r} is not a valid web address: check the product URL")


def _ends_in_number(labels: list[str]) -> bool:
    """WHATWG: a host whose last label is numeric is an IPv4 address, or invalid."""
    last = labels[-1]
    return bool(re.fullmatch(r"[0-9]+", last) or _HEX_PART.match(last))


def _ipv4_part(part: str) -> int | None:
    if _HEX_PART.match(part):
        return int(part[2:] or "0", 16)
    if _OCTAL_PART.match(part):
        return int(part, 8)
    if _DECIMAL_PART.match(part):
        return int(part)
    return None


def _parse_ipv4(labels: list[str], original: str) -> ipaddress.IPv4Address:
    """The legacy forms: 1 to 4 parts, each decimal, 0-octal or 0x-hex; the last fills the rest."""
    if len(labels) > 4 or any(not label for label in labels):
        raise _invalid(original)
    numbers = [_ipv4_part(label) for label in labels]
    if any(number is None for number in numbers):
        raise _invalid(original)
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise _invalid(original)
    result = values[-1]
    for index, number in enumerate(values[:-1]):
        result += number << (8 * (3 - index))
    return ipaddress.IPv4Address(result)


def _parse_ipv6(text: str, original: str) -> ipaddress.IPv6Address:
    # A zone id ("fe80::1%eth0") names one of *our* interfaces: never meaningful for a shop.
    if "%" in text:
        raise _invalid(original)
    try:
        return ipaddress.IPv6Address(text)
    except ValueError as exc:
        raise _invalid(original) from exc


def _to_ascii(host: str, original: str) -> str:
    if host.isascii():
        return host.lower()
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise _invalid(original) from exc


def parse_host(raw_host: str) -> ParsedHost:
    """Normalise ``raw_host`` (as yarl's ``URL.raw_host`` gives it) or raise UnsupportedUrlError."""
    if not raw_host:
        raise UnsupportedUrlError("The URL has no host name: check the product URL")
    if ":" in raw_host:  # yarl already stripped the brackets of an IPv6 literal
        address = _parse_ipv6(raw_host, raw_host)
        return ParsedHost(name=str(address), address=address)
    host = _to_ascii(unquote(raw_host), raw_host)
    if _FORBIDDEN.search(host):
        raise _invalid(raw_host)
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()  # one trailing dot is the absolute form of the same name
    if _ends_in_number(labels):
        address4 = _parse_ipv4(labels, raw_host)
        return ParsedHost(name=str(address4), address=address4)
    name = ".".join(labels)
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise _invalid(raw_host)
    return ParsedHost(name=name, address=None)
