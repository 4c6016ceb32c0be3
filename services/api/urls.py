"""Validation of the product URLs callers send (the scraper re-checks every address)."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["InvalidProductUrl", "validate_product_url"]


class InvalidProductUrl(ValueError):
    """The productUrl is unusable; the message says why, for the caller."""


def validate_product_url(value: object, *, max_length: int = 2048) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidProductUrl("productUrl is required and must be a non-empty string")
    url = value.strip()
    if len(url) > max_length:
        raise InvalidProductUrl(f"productUrl is longer than {max_length} characters")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InvalidProductUrl("productUrl must not contain spaces or control characters")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidProductUrl("productUrl must start with http:// or https://")
    if not parts.hostname:
        raise InvalidProductUrl("productUrl has no host name")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        raise InvalidProductUrl("productUrl has an invalid port") from exc
    return url
