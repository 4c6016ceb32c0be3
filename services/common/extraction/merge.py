"""Field-by-field merge of the sources, in priority order, with light normalisation."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from .document import Document
from .record import ProductRecord
from .text import clean_text

__all__ = ["first_value", "merge_images", "choose_main", "language_tag", "product_name", "complete_name"]

# What templates print into a title besides the name: a marketplace's "Details about", the
# item number and the price ("Bomber Jacket $24.99 $39.99", "Desk, Espresso Item # 101095").
_NAME_PREFIX_RE = re.compile(r"^(?:details about|détails sur|details zu|dettagli su)\s+", re.I)
_NAME_TAIL_RE = re.compile(
    r"(?:\s+(?:item|sku|art(?:ikel)?\.?-?\s?nr\.?|model)\s*(?:#|no\.?|:)\s*[\w-]+"
    r"|\s+(?:[$€£¥₹]|US\$)\s?\d[\d.,]*|\s+\d[\d.,]*\s?[€$£])+\s*$",
    re.I,
)
_ELLIPSIS_RE = re.compile(r"\s*(?:\.\.\.|…)$")


def product_name(value: str | None) -> str | None:
    """A product name without what the template printed around it."""
    text = clean_text(value)
    if not text:
        return None
    cleaned = _NAME_TAIL_RE.sub("", _NAME_PREFIX_RE.sub("", text)).strip()
    return cleaned or text


def complete_name(chosen: str | None, others: Iterable[str | None]) -> str | None:
    """A name cut with an ellipsis ("Seat Pad Pain...") is replaced by another source's whole one."""
    if not chosen or not _ELLIPSIS_RE.search(chosen):
        return chosen
    stem = _ELLIPSIS_RE.sub("", chosen)
    longer = [o for o in others if o and o.startswith(stem) and len(o) > len(stem) and not _ELLIPSIS_RE.search(o)]
    return min(longer, key=len) if longer else chosen


def first_value(values: Iterable[str | None]) -> str | None:
    for value in values:
        text = clean_text(value)
        if text:
            return text
    return None


def _image_key(url: str) -> str:
    # The same photo in another size differs only by its query (?width=600).
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))


def merge_images(groups: Iterable[list[str]], doc: Document) -> list[str]:
    seen: set[str] = set()
    merged: list[str] = []
    for group in groups:
        for raw in group:
            url = doc.absolute(raw)
            if not url or url.lower().split("?")[0].endswith(".svg"):
                continue
            key = _image_key(url)
            if key not in seen:
                seen.add(key)
                merged.append(url)
    return merged


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"\w+", (text or "").lower()))


def choose_main(records: list[ProductRecord], title: str | None, page_url: str) -> ProductRecord | None:
    """The page's own product when a source describes several (related items, bundles)."""
    if len(records) <= 1:
        return records[0] if records else None
    page_path = urlsplit(page_url).path.rstrip("/")
    title_words = _words(title)

    def score(item: tuple[int, ProductRecord]) -> tuple[int, int]:
        index, record = item
        points = 0
        if record.url and page_path and urlsplit(record.url).path.rstrip("/") == page_path:
            points += 4
        name_words = _words(record.name)
        if name_words and title_words and len(name_words & title_words) >= 0.6 * len(name_words):
            points += 2
        if record.offers:
            points += 1
        return points, -index

    return max(enumerate(records), key=score)[1]


def language_tag(value: str | None) -> str | None:
    """BCP 47 casing: "de-DE", "zh-Hant", "pt-BR", from "de_de" or "DE-de"."""
    if not value:
        return None
    parts = [p for p in re.split(r"[-_]", value.strip().split(",")[0].split(";")[0]) if p]
    if not parts or not parts[0].isalpha() or len(parts[0]) > 3:
        return None
    tag = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            tag.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            tag.append(part.title())
        else:
            tag.append(part.lower())
    return "-".join(tag)
