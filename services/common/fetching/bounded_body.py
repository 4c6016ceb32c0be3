"""Read a response body without ever holding more than the cap, compressed or not.

aiohttp's own decompression would inflate a 10 MB gzip bomb into gigabytes before we
could count anything. So the session runs with ``auto_decompress=False`` and we inflate
here, asking zlib for at most the bytes we still have room for on every call.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

from services.common.fetching.fetch_errors import TooLargeError, UndecodableContentError

__all__ = ["ACCEPT_ENCODING", "describe_size", "read_bounded"]

# Only what we can inflate with a bounded output; brotli and zstd are not offered.
ACCEPT_ENCODING = "gzip, deflate"

_CHUNK = 64 * 1024


def describe_size(size: int) -> str:
    """Bytes as a shop owner reads them: "10 MB", "512 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size / 1024:.3g} KB"


class _Inflater:
    """Incremental gzip/deflate decoder whose every call returns at most ``limit`` bytes."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._raw_deflate = False
        self._obj = self._new()

    def _new(self) -> zlib._Decompress:
        if self._encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped, but some servers send a raw stream.
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        while data and len(out) <= limit:
            try:
                out += self._obj.decompress(data, limit + 1 - len(out))
            except zlib.error as exc:
                if self._encoding == "deflate" and not self._raw_deflate and not out:
                    self._raw_deflate = True
                    self._obj = self._new()
                    continue
                raise UndecodableContentError("The page's compressed data is corrupt") from exc
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._obj.unused_data:
                # A gzip body may hold several members back to back; keep inflating.
                data = self._obj.unused_data
                self._obj = self._new()
        return bytes(out)


def _decoders(content_encoding: str) -> list[str]:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = ["gzip" if c == "x-gzip" else c for c in codings if c != "identity"]
    for coding in codings:
        if coding not in ("gzip", "deflate"):
            raise UndecodableContentError(
                f"The server sent the page compressed as {coding!r}, which we do not read"
            )
    if len(codings) > 1:
        # Stacked compression has no honest use and multiplies the bomb ratio.
        raise UndecodableContentError("The server compressed the page more than once, which we do not read")
    return codings


async def read_bounded(
    chunks: AsyncIterator[bytes], content_encoding: str, limit: int, what: str = "page"
) -> bytes:
    """Return the decoded body; raise TooLargeError as soon as either count passes ``limit``."""
    codings = _decoders(content_encoding)
    inflater = _Inflater(codings[0]) if codings else None
    wire = 0
    body = bytearray()
    too_large = TooLargeError(f"The {what} is larger than the {describe_size(limit)} we accept")
    async for chunk in chunks:
        wire += len(chunk)
        if wire > limit:
            raise too_large
        body += inflater.feed(chunk, limit - len(body)) if inflater else chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)
