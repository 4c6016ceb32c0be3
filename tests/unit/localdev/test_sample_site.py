"""The bundled sample shop: what the demo scrapes must be served, typed and self-consistent."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from PIL import Image
from yarl import URL

from localdev.sample_site import SAMPLE_DIR, start_sample_site

REPO = Path(__file__).resolve().parents[3]


class _PageParser(HTMLParser):
    """Collects the JSON-LD blocks, the <meta property=...> tags and the <html lang>."""

    def __init__(self) -> None:
        super().__init__()
        self.jsonld: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.lang: str | None = None
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")
        elif tag == "meta" and a.get("property"):
            self.meta.setdefault(a["property"] or "", []).append(a.get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data


def _parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


def _product(parser: _PageParser) -> dict[str, Any]:
    nodes = [json.loads(block) for block in parser.jsonld]
    products = [n for n in nodes if n.get("@type") == "Product"]
    assert len(products) == 1, nodes
    return products[0]


@pytest.fixture
async def site() -> AsyncIterator[str]:
    base_url, runner = await start_sample_site()
    try:
        yield base_url
    finally:
        await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _get(http: aiohttp.ClientSession, url: str) -> tuple[int, str, bytes]:
    async with http.get(url) as resp:
        return resp.status, resp.headers.get("Content-Type", ""), await resp.read()


async def test_start_binds_loopback_on_a_free_port() -> None:
    """Port 0 yields a real port; the base URL is on 127.0.0.1 without a trailing slash, and the
    returned AppRunner stops the server."""
    base_url, runner = await start_sample_site()
    assert isinstance(runner, web.AppRunner)
    try:
        assert base_url.startswith("http://127.0.0.1:") and not base_url.endswith("/")
        port = int(base_url.rsplit(":", 1)[1])
        assert port > 0
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()
        await writer.wait_closed()
    finally:
        await runner.cleanup()
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)


async def test_root_and_product_serve_the_product_page_as_utf8_html(
    site: str, http: aiohttp.ClientSession
) -> None:
    """``/``, ``/product`` and ``/product.html`` all return the same English HTML page, with a charset."""
    bodies = []
    for path in ("/", "/product", "/product.html"):
        status, ctype, body = await _get(http, site + path)
        assert status == 200, path
        assert ctype.startswith("text/html"), ctype
        assert "charset=utf-8" in ctype.lower(), ctype
        bodies.append(body)
    assert bodies[0] == bodies[1] == bodies[2] == (SAMPLE_DIR / "product.html").read_bytes()
    assert _parse(bodies[0].decode("utf-8")).lang == "en"


async def test_jsonld_states_the_discounted_offer(site: str, http: aiohttp.ClientSession) -> None:
    """The page's JSON-LD parses and is a Product with brand, sku, gtin13, and an in-stock USD
    offer at 129.00 whose list price (priceType ListPrice) is 159.00."""
    _, _, body = await _get(http, site + "/product")
    product = _product(_parse(body.decode("utf-8")))
    assert product["name"]
    assert product["brand"]["name"] == "Northwind Goods"
    assert product["sku"] and product["description"]
    gtin = product["gtin13"]
    assert len(gtin) == 13 and gtin.isdigit()
    # EAN-13 check digit: a scraper validating GTINs must not reject the demo's.
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(gtin[:12]))
    assert (10 - total % 10) % 10 == int(gtin[12])
    offer = product["offers"]
    assert offer["@type"] == "Offer"
    assert (offer["price"], offer["priceCurrency"]) == ("129.00", "USD")
    assert offer["availability"].endswith("/InStock")
    list_prices = [s["price"] for s in offer["priceSpecification"] if "ListPrice" in s.get("priceType", "")]
    assert list_prices == ["159.00"]


async def test_every_jsonld_image_is_served_as_a_jpeg(site: str, http: aiohttp.ClientSession) -> None:
    """Each image the JSON-LD names is a site-relative path that the server returns as a real
    JPEG (image/jpeg, decodable), the first one at least 1000 px square, each under 300 KB."""
    _, _, body = await _get(http, site + "/product")
    images = _product(_parse(body.decode("utf-8")))["image"]
    assert images and all(p.startswith("/images/") for p in images), images
    for i, path in enumerate(images):
        status, ctype, data = await _get(http, site + path)
        assert status == 200, path
        assert ctype == "image/jpeg", (path, ctype)
        assert len(data) < 300 * 1024, (path, len(data))
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "JPEG"
            if i == 0:
                assert img.width == img.height >= 1000


async def test_opengraph_agrees_with_jsonld(site: str, http: aiohttp.ClientSession) -> None:
    """og:image is the JSON-LD main image and is served; product:price tags carry the same price,
    list price and currency as the offer, so every scraper source tells one story."""
    _, _, body = await _get(http, site + "/product")
    parser = _parse(body.decode("utf-8"))
    product = _product(parser)
    assert parser.meta["og:type"] == ["product"]
    assert parser.meta["og:image"][0] == product["image"][0]
    assert parser.meta["product:price:amount"] == ["129.00"]
    assert parser.meta["product:original_price:amount"] == ["159.00"]
    assert parser.meta["product:price:currency"] == ["USD"]
    for path in parser.meta["og:image"]:
        status, ctype, _ = await _get(http, site + path)
        assert (status, ctype) == (200, "image/jpeg"), path


async def test_main_photo_has_a_plain_light_background_to_cut_out(
    site: str, http: aiohttp.ClientSession
) -> None:
    """The main photo's outer border is near-white and uniform, so the product can be separated
    from its background (the renderer's cut-out relies on that)."""
    _, _, data = await _get(http, site + "/images/product-main.jpg")
    with Image.open(io.BytesIO(data)) as img:
        rgb = img.convert("RGB")
    w, h = rgb.size
    band = 12
    border: list[tuple[int, int, int]] = []
    for y in range(0, h, 3):
        for x in range(0, w, 3):
            if x < band or y < band or x >= w - band or y >= h - band:
                r, g, b = rgb.getpixel((x, y))  # type: ignore[misc]
                border.append((r, g, b))
    channels = [c for p in border for c in p]
    assert min(channels) >= 235
    assert max(channels) - min(channels) <= 12
    # And the product itself is there: the centre is not background.
    darkest, _ = rgb.crop((w // 3, h // 3, 2 * w // 3, 2 * h // 3)).convert("L").getextrema()
    assert isinstance(darkest, int) and darkest < 120


async def test_only_the_page_and_images_are_exposed(site: str, http: aiohttp.ClientSession) -> None:
    """Unknown paths and the photo generator script are 404, and ``..`` in any spelling under
    /images/ (sent unnormalised on the wire) never returns a file from outside that folder."""
    for path in ("/nope", "/make_photos.py", "/sample/product.html"):
        status, _, _ = await _get(http, site + path)
        assert status == 404, path
    script = (SAMPLE_DIR / "make_photos.py").read_bytes()
    for raw in ("/images/../make_photos.py", "/images/%2e%2e/make_photos.py", "/images/..%2fmake_photos.py"):
        # encoded=True: the client would otherwise resolve the dots itself and test nothing.
        async with http.get(URL(site + raw, encoded=True)) as resp:
            body = await resp.read()
            assert resp.status in (403, 404), (raw, resp.status)
            assert script[:200] not in body, raw


async def test_cli_prints_url_first_and_stops_on_sigterm() -> None:
    """``python -m localdev.sample_site --port 0`` prints ``SAMPLE_SITE_URL=...`` as its first stdout
    line, serves the page there, and exits 0 on SIGTERM."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "localdev.sample_site",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        first = (await asyncio.wait_for(proc.stdout.readline(), timeout=20)).decode().strip()
        key, _, url = first.partition("=")
        assert key == "SAMPLE_SITE_URL" and url.startswith("http://127.0.0.1:"), first
        async with aiohttp.ClientSession() as http:
            status, ctype, _ = await _get(http, url + "/product")
        assert status == 200 and ctype.startswith("text/html")
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_start_fails_loudly_when_the_port_is_taken(site: str) -> None:
    """Asking for a port already in use raises instead of silently serving nothing."""
    port = int(site.rsplit(":", 1)[1])
    with pytest.raises(OSError):
        await start_sample_site(port=port)
