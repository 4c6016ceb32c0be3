"""Plain, short text from markup values that may carry HTML, entities or odd spaces."""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

__all__ = ["clean_text", "plain_text", "truncate", "DESCRIPTION_LIMIT"]

DESCRIPTION_LIMIT = 300
_SPACE_RE = re.compile(r"\s+")
_TAG_HINT_RE = re.compile(r"<[a-zA-Z/!]")


def clean_text(value: object) -> str | None:
    """One line of text: entities decoded, whitespace collapsed; None when empty."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = _SPACE_RE.sub(" ", html.unescape(str(value))).strip()
    return text or None


def plain_text(value: object) -> str | None:
    """Like clean_text, but strips HTML that shops put inside descriptions."""
    text = clean_text(value)
    if text and _TAG_HINT_RE.search(text):
        markup = text
        try:
            fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
            for bad in fragment.xpath(".//script|.//style"):
                bad.drop_tree()
            text = clean_text(fragment.text_content())
        except (etree.ParserError, ValueError):
            text = clean_text(re.sub(r"<[^>]+>", " ", markup))
    return text


def truncate(text: str | None, limit: int = DESCRIPTION_LIMIT) -> str | None:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis."""
    if not text or len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    # Languages written without spaces (ja, zh) are cut at a character instead.
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"
