"""URLs as we may repeat them: without query string, fragment or user info.

Callers' URLs are often signed (``?X-Amz-Signature=...``, ``?token=...``) or carry a
customer's session: what identifies the page is the scheme, host and path. Events and
logs carry that much and no more.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["without_query", "scrub_urls"]

# A URL inside free text ends at whitespace or a quote/bracket that cannot be part of it.
_URL_IN_TEXT = re.compile(r"""https?://[^\s"'<>]+""", re.IGNORECASE)


def without_query(url: str) -> str:
    """``url`` with its query string, fragment and user info removed; other text unchanged."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unparseable "URL" (bad IPv6 literal): keep only what precedes ? and #
        return re.split(r"[?#]", url, maxsplit=1)[0]
    if not parts.scheme or not parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def scrub_urls(text: str) -> str:
    """Every http(s) URL inside ``text`` without its query string, fragment or user info."""
    if "://" not in text:
        return text
    return _URL_IN_TEXT.sub(lambda match: without_query(match.group(0)), text)
