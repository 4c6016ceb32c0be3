"""Judging a response before and after its body is read: status, type, declared size.

Kept apart from the fetcher so each rule (which statuses are worth a retry, what counts
as HTML) can be read, tested and changed on its own.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping
from http import HTTPStatus

from services.common.fetching.bounded_body import describe_size
from services.common.fetching.fetch_errors import (
    BotWallError,
    FetchError,
    HttpStatusError,
    RateLimitedError,
    ServerError,
    TooLargeError,
)

__all__ = [
    "bot_wall",
    "HTML_TYPES",
    "UNTYPED",
    "REDIRECT_STATUSES",
    "error_for_status",
    "media_type",
    "looks_like_html",
    "check_declared_length",
    "parse_retry_after",
]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types that say "I don't know": we look at the bytes instead, like a browser does.
UNTYPED = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown", "*/*"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|p|br)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)

# Statuses that are temporary by definition even though they are 4xx.
_TRANSIENT_CLIENT_STATUSES = frozenset({408, 425})

_ADVICE = {
    400: "the shop did not understand the request: check the product URL",
    401: "the page needs a login: use a public product page",
    403: "the shop refused our scraper (the page may need a login, or the shop blocks automated visitors): "
    "ask the shop to allow ProductshotBot, or submit the product facts with the job",
    404: "check the product URL",
    410: "the product was removed from the shop",
    451: "the page is not available for legal reasons",
}


# Response headers that only a bot-protection service sets: its answer is a wall, not the shop's page.
_BOT_WALL_HEADERS = {
    "cf-mitigated": "Cloudflare",
    "x-datadome": "DataDome",
    "x-iinfo": "Imperva",
    "x-sucuri-id": "Sucuri",
    "x-amzn-waf-action": "AWS WAF",
}
_BOT_WALL_SERVERS = {"akamaighost": "Akamai"}


def bot_wall(status: int, headers: Mapping[str, str]) -> str | None:
    """The bot-protection service whose wall this response is (403/429/503/405/202), or None."""
    if status not in (202, 403, 405, 429, 503):
        return None
    for name, service in _BOT_WALL_HEADERS.items():
        if headers.get(name) is not None:
            return service
    if status == 403:
        return _BOT_WALL_SERVERS.get((headers.get("Server") or headers.get("server") or "").strip().lower())
    return None


def media_type(content_type: str | None) -> str:
    """``"text/html; charset=utf-8"`` -> ``"text/html"``; empty string when absent."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def looks_like_html(body: bytes) -> bool:
    """A page served without a usable Content-Type counts as HTML if it starts like one."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head))


def _phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def error_for_status(status: int, headers: Mapping[str, str]) -> FetchError | None:
    """The error a final (non-redirect) status stands for, or None for success."""
    wall = bot_wall(status, headers)
    if wall is not None:
        return BotWallError(
            f"The shop's bot protection ({wall}) answered {_phrase(status)} instead of the page: we do not "
            "solve challenges; ask the shop to let ProductshotBot through, or submit the product facts with the job",
            status,
        )
    if 200 <= status < 300:
        return None
    retry_after = parse_retry_after(headers.get("Retry-After"))
    if status == 429:
        return RateLimitedError(
            "The shop answered 429 Too Many Requests: we will try again later", retry_after=retry_after
        )
    if status >= 500 or status in _TRANSIENT_CLIENT_STATUSES:
        return ServerError(
            f"The shop's server answered {_phrase(status)}: we will try again later",
            status=status,
            retry_after=retry_after,
        )
    if 300 <= status < 400:
        return HttpStatusError(
            f"The page answered {_phrase(status)} without a usable redirect: check the product URL", status
        )
    advice = _ADVICE.get(status, "check the product URL")
    return HttpStatusError(f"The page answered {_phrase(status)}: {advice}", status)


def check_declared_length(headers: Mapping[str, str], limit: int, what: str) -> None:
    """Refuse before reading when the server announces a body over the limit."""
    declared = headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLargeError(f"The {what} is larger than the {describe_size(limit)} we accept")
