"""Turn HTML bytes into text the way a browser would, so prices and names are not mojibake.

Order of evidence, strongest first: a byte-order mark, the HTTP ``charset``, a ``<meta>``
declaration in the first bytes, then statistical detection (charset-normalizer), then
UTF-8. The BOM comes first because that is what browsers do (WHATWG "decode"): a page
whose bytes start with a UTF-8 BOM is shown as UTF-8 whatever a misconfigured server says.
Labels are mapped the WHATWG way too: "iso-8859-1" really means windows-1252 on the web,
"shift_jis" means Microsoft's cp932, and so on.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

__all__ = ["decode_html", "charset_from_content_type"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# WHATWG label -> the Python codec that decodes the same way browsers do.
_WEB_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "euc-jp": "euc_jis_2004",
    "x-mac-roman": "mac_roman",
}

_META_WINDOW = 4096  # browsers prescan 1024 bytes; a little more catches long <head>s
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE)
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE)
_DETECT_WINDOW = 256 * 1024  # detection on a large page is slow and no more accurate


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or None if Python has no such codec."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WEB_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, if any."""
    match = _CONTENT_TYPE_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _from_meta(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    codec = _codec(match.group(1).decode("ascii", "ignore")) if match else None
    # A page cannot really be UTF-16 if we could read its <meta> as ASCII (WHATWG rule).
    if codec and codec.startswith("utf-16"):
        return "utf-8"
    return codec


def _detect(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body[:_DETECT_WINDOW]).best()
    return _codec(best.encoding) if best else None


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Return ``(text, codec name)``; never raises, undecodable bytes become U+FFFD.

    CPU-bound for big pages: call it off the event loop.
    """
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(bom_codec, errors="replace"), bom_codec
    declared = _codec(header_charset) or _from_meta(body[:_META_WINDOW])
    if declared is not None:
        return body.decode(declared, errors="replace"), declared
    try:
        return body.decode("utf-8"), "utf-8"  # strict: succeeds only if it really is UTF-8
    except UnicodeDecodeError:
        guessed = _detect(body) or "cp1252"  # the web's default for undeclared pages
    return body.decode(guessed, errors="replace"), guessed
