"""SafeFetcher bodies on 127.0.0.1 servers: size caps, gzip bombs, content types, charsets, images."""

from __future__ import annotations

import codecs
import gzip
import io
import struct
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from PIL import Image

from services.common.fetching.fetch_errors import (
    NotAnImageError,
    NotHtmlError,
    TooLargeError,
    UndecodableContentError,
)
from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_KIB = 1024


def make_settings(**overrides: Any) -> FetchSettings:
    values: dict[str, Any] = {"allow_networks": "127.0.0.1/32", "retry_attempts": 1, "total_timeout": 5.0}
    values.update(overrides)
    return FetchSettings(**values)


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    """Start a 127.0.0.1 server answering every GET with ``handler``; return its URL."""
    servers: list[TestServer] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_get("/{tail:.*}", handler)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("/item"))

    yield start
    for server in servers:
        await server.close()


def raw(body: bytes, **headers: str) -> Handler:
    async def handler(_: web.Request) -> web.StreamResponse:
        return web.Response(body=body, headers=headers)

    return handler


def gzip_bomb(decompressed_bytes: int) -> bytes:
    """A small gzip body that inflates to ``decompressed_bytes`` of zeros."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as gz:
        block = b"\0" * (1024 * _KIB)
        for _ in range(decompressed_bytes // len(block)):
            gz.write(block)
    return out.getvalue()


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    data = bytearray(png(1, 1))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


# --- size and compression -------------------------------------------------------------


async def test_gzip_page_is_inflated(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """An ordinary gzip-encoded page arrives decompressed in ``body`` and ``text``."""
    page = "<html><body>" + "<p>Blue shoe</p>" * 1000 + "</body></html>"
    url = await serve(
        raw(gzip.compress(page.encode()), **{"Content-Type": "text/html", "Content-Encoding": "gzip"})
    )
    async with SafeFetcher(make_settings()) as fetcher:
        fetched = await fetcher.fetch_page(url)
    assert fetched.text == page and fetched.body == page.encode()


async def test_deflate_page_is_inflated(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """A deflate page (zlib-wrapped, as the standard says) is decompressed too."""
    page = "<html><body><p>Blue shoe</p></body></html>"
    url = await serve(
        raw(zlib.compress(page.encode()), **{"Content-Type": "text/html", "Content-Encoding": "deflate"})
    )
    async with SafeFetcher(make_settings()) as fetcher:
        assert (await fetcher.fetch_page(url)).text == page


async def test_gzip_bomb_is_stopped_at_the_cap(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """200 MB of zeros in a ~200 KB gzip body is cut off once 1 MB has been inflated."""
    bomb = gzip_bomb(200 * 1024 * _KIB)
    assert len(bomb) < 1024 * _KIB  # small on the wire: only the decompressed count can catch it
    url = await serve(raw(bomb, **{"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    async with SafeFetcher(make_settings(max_page_bytes=1024 * _KIB)) as fetcher:
        started = time.monotonic()
        with pytest.raises(TooLargeError):
            await fetcher.fetch_page(url)
    assert time.monotonic() - started < 2.0  # stopped early, not after inflating everything


async def test_oversize_body_with_content_length_is_refused(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    """A declared Content-Length over the cap is refused before reading the body."""
    url = await serve(raw(b"<html>" + b"x" * (300 * _KIB), **{"Content-Type": "text/html"}))
    async with SafeFetcher(make_settings(max_page_bytes=100 * _KIB)) as fetcher:
        with pytest.raises(TooLargeError, match="larger than the 100 KB"):
            await fetcher.fetch_page(url)


async def test_oversize_chunked_body_is_cut_off(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """A body without Content-Length is counted while streaming and stopped at the cap."""

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(1000):
            await response.write(b"<p>" + b"x" * (64 * _KIB) + b"</p>")
        return response

    url = await serve(endless)
    async with SafeFetcher(make_settings(max_page_bytes=256 * _KIB)) as fetcher:
        with pytest.raises(TooLargeError):
            await fetcher.fetch_page(url)


async def test_unknown_compression_is_refused(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """A compression we did not offer (brotli) is a permanent, readable error."""
    url = await serve(raw(b"\x1b\x00", **{"Content-Type": "text/html", "Content-Encoding": "br"}))
    async with SafeFetcher(make_settings()) as fetcher:
        with pytest.raises(UndecodableContentError, match="'br'"):
            await fetcher.fetch_page(url)


# --- content type ------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["application/json", "application/pdf", "image/png", "text/plain"])
async def test_not_html_is_permanent(serve: Callable[[Handler], Awaitable[str]], content_type: str) -> None:
    """A product URL that answers JSON, a PDF, an image or plain text fails as not-a-web-page."""
    url = await serve(raw(b"<html><body>hi</body></html>", **{"Content-Type": content_type}))
    async with SafeFetcher(make_settings()) as fetcher:
        with pytest.raises(NotHtmlError, match="not a web page"):
            await fetcher.fetch_page(url)


async def test_untyped_html_is_sniffed(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """Without a Content-Type, bytes that start like HTML are accepted; other bytes are refused."""
    html_url = await serve(raw(b"  <!DOCTYPE html><html><body>ok</body></html>", **{"Content-Type": ""}))
    binary_url = await serve(raw(b"%PDF-1.7 ...", **{"Content-Type": "application/octet-stream"}))
    async with SafeFetcher(make_settings()) as fetcher:
        assert (await fetcher.fetch_page(html_url)).text.endswith("ok</body></html>")
        with pytest.raises(NotHtmlError):
            await fetcher.fetch_page(binary_url)


# --- charsets ---------------------------------------------------------------------------

JAPANESE = (
    "<html><head><title>スニーカー</title></head>"
    "<body><h1>青いスニーカー</h1><p>価格 12,800円 税込</p></body></html>"
)
RUSSIAN = (
    "<html><body><h1>Кроссовки мужские синие</h1><p>Цена: 12 800 руб. В наличии. Доставка по всей "
    "России бесплатно, примерка перед покупкой, возврат в течение тридцати дней.</p></body></html>"
)
FRENCH = "<html><body><h1>Crème brûlée à l'été</h1><p>Prix : 12,50 €</p></body></html>"


@pytest.mark.parametrize(
    ("text", "body", "content_type", "expected_encoding"),
    [
        (JAPANESE, JAPANESE.encode("shift_jis"), "text/html; charset=Shift_JIS", "cp932"),
        (RUSSIAN, RUSSIAN.encode("cp1251"), "text/html; charset=windows-1251", "cp1251"),
        (FRENCH, FRENCH.encode("cp1252"), "text/html; charset=ISO-8859-1", "cp1252"),
    ],
    ids=["shift_jis-header", "windows-1251-header", "iso-8859-1-header-with-euro"],
)
async def test_declared_charsets_are_decoded(
    serve: Callable[[Handler], Awaitable[str]],
    text: str,
    body: bytes,
    content_type: str,
    expected_encoding: str,
) -> None:
    """Shift_JIS, windows-1251 and ISO-8859-1 (read as windows-1252, like browsers) decode exactly."""
    url = await serve(raw(body, **{"Content-Type": content_type}))
    async with SafeFetcher(make_settings()) as fetcher:
        page = await fetcher.fetch_page(url)
    assert page.text == text and page.encoding == expected_encoding


async def test_meta_charset_is_used_when_the_header_has_none(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    """A Shift_JIS page declared only by <meta charset> decodes correctly."""
    text = JAPANESE.replace("<head>", '<head><meta charset="Shift_JIS">')
    url = await serve(raw(text.encode("shift_jis"), **{"Content-Type": "text/html"}))
    async with SafeFetcher(make_settings()) as fetcher:
        assert (await fetcher.fetch_page(url)).text == text


async def test_http_equiv_charset_is_used(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """An old-style <meta http-equiv content="...; charset=windows-1251"> is honoured."""
    text = RUSSIAN.replace(
        "<html>", '<html><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    )
    url = await serve(raw(text.encode("cp1251"), **{"Content-Type": "text/html"}))
    async with SafeFetcher(make_settings()) as fetcher:
        assert (await fetcher.fetch_page(url)).text == text


async def test_undeclared_charset_is_detected(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """A windows-1251 page with no declaration at all is detected, not shown as mojibake."""
    url = await serve(raw(RUSSIAN.encode("cp1251"), **{"Content-Type": "text/html"}))
    async with SafeFetcher(make_settings()) as fetcher:
        assert (await fetcher.fetch_page(url)).text == RUSSIAN


async def test_byte_order_mark_beats_a_wrong_header(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """A UTF-8 BOM wins over a contradicting header charset, as in browsers."""
    url = await serve(
        raw(codecs.BOM_UTF8 + FRENCH.encode(), **{"Content-Type": "text/html; charset=iso-8859-1"})
    )
    async with SafeFetcher(make_settings()) as fetcher:
        page = await fetcher.fetch_page(url)
    assert page.text == FRENCH and page.encoding == "utf-8"


# --- images -----------------------------------------------------------------------------


async def test_image_is_fetched_with_its_size(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """A PNG comes back with its bytes, type and pixel size."""
    url = await serve(raw(png(64, 32), **{"Content-Type": "image/png"}))
    async with SafeFetcher(make_settings()) as fetcher:
        image = await fetcher.fetch_image(url)
    assert (image.width, image.height, image.content_type) == (64, 32, "image/png")


async def test_untyped_image_is_identified_by_its_bytes(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """An image served as application/octet-stream is accepted when Pillow recognises it."""
    url = await serve(raw(png(8, 8), **{"Content-Type": "application/octet-stream"}))
    async with SafeFetcher(make_settings()) as fetcher:
        assert (await fetcher.fetch_image(url)).content_type == "image/png"


async def test_image_pixel_bomb_is_refused(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """A tiny PNG claiming 100000 x 100000 pixels is refused from its header, never decoded."""
    url = await serve(raw(png_claiming(100_000, 100_000), **{"Content-Type": "image/png"}))
    async with SafeFetcher(make_settings()) as fetcher:
        with pytest.raises(TooLargeError):
            await fetcher.fetch_image(url)


async def test_image_over_the_pixel_cap_is_refused(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """An ordinary image over FETCH_MAX_IMAGE_PIXELS is refused with its size in the reason."""
    url = await serve(raw(png(2000, 1000), **{"Content-Type": "image/png"}))
    async with SafeFetcher(make_settings(max_image_pixels=1_000_000)) as fetcher:
        with pytest.raises(TooLargeError, match="2000 x 1000"):
            await fetcher.fetch_image(url)


async def test_image_over_the_byte_cap_is_refused(serve: Callable[[Handler], Awaitable[str]]) -> None:
    """An image bigger than FETCH_MAX_IMAGE_BYTES is refused."""
    url = await serve(raw(b"\x89PNG" + b"\0" * (200 * _KIB), **{"Content-Type": "image/png"}))
    async with SafeFetcher(make_settings(max_image_bytes=100 * _KIB)) as fetcher:
        with pytest.raises(TooLargeError):
            await fetcher.fetch_image(url)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
        (b"<html></html>", "text/html"),
        (b"not an image at all", "image/jpeg"),
    ],
    ids=["svg", "html", "lying-jpeg"],
)
async def test_non_images_are_refused(
    serve: Callable[[Handler], Awaitable[str]], body: bytes, content_type: str
) -> None:
    """SVG, HTML, and bytes that only claim to be a JPEG are refused as not-an-image."""
    url = await serve(raw(body, **{"Content-Type": content_type}))
    async with SafeFetcher(make_settings()) as fetcher:
        with pytest.raises(NotAnImageError):
            await fetcher.fetch_image(url)
