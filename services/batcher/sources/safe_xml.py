"""Parsing untrusted XML (sitemaps, feeds): no DTD, no entities, no network, bounded gunzip."""

from __future__ import annotations

import re
import zlib

from lxml import etree

from services.batcher.sources.spec import SourceError, SourceLimitError

__all__ = ["parse_xml", "gunzip_bounded", "local_name", "GZIP_MAGIC"]

GZIP_MAGIC = b"\x1f\x8b"
# A sitemap or feed never needs a DTD; refusing one outright stops XXE and entity bombs
# before the parser sees them (the parser is also configured not to resolve anything).
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def parse_xml(body: bytes, what: str) -> etree._Element:
    """The root element of ``body``; SourceError with words when it is not safe, plain XML."""
    if _DTD.search(body[:65536]) or b"<!ENTITY" in body:
        raise SourceError(f"The {what} declares a DTD or entities, which we do not accept")
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"The {what} is not well-formed XML ({exc.msg})") from exc
    if root is None:
        raise SourceError(f"The {what} is empty")
    return root


def local_name(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def gunzip_bounded(body: bytes, limit: int, what: str) -> bytes:
    """Inflate a .gz file, stopping as soon as the output passes ``limit`` (gzip bombs)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise SourceError(f"The {what} is a corrupt gzip file") from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise SourceLimitError(f"The {what} inflates to more than the {limit:,} bytes left to spend")
    return out
