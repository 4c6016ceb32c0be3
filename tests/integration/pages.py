"""A small shop on 127.0.0.1 for the integration tests: product pages and photos over HTTP."""

from __future__ import annotations

import asyncio
import io
import json

from aiohttp import web
from PIL import Image, ImageDraw

from localdev.sample_site import serve_app


def product_photo(size: int = 800) -> bytes:
    """A simple studio-style product shot: a shaded bottle on a near-white backdrop."""
    img = Image.new("RGB", (size, size), (246, 246, 244))
    draw = ImageDraw.Draw(img)
    w = size // 4
    left, top = (size - w) // 2, size // 4
    base = top + int(size * 0.55)
    draw.ellipse([left - 10, base - 8, left + w + 10, base + 16], fill=(220, 220, 218))
    for i in range(w):
        shade = int(60 + 120 * (1 - abs(i - w / 3) / w))
        draw.line([(left + i, top), (left + i, top + int(size * 0.55))], fill=(shade // 3, shade // 2, shade))
    draw.rectangle([left + w // 3, top - size // 10, left + 2 * w // 3, top], fill=(40, 40, 48))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def product_page(name: str, price: str, currency: str, image: str, regular: str | None = None) -> str:
    offer: dict[str, object] = {"@type": "Offer", "price": price, "priceCurrency": currency,
                                "availability": "https://schema.org/InStock"}
    data = {"@context": "https://schema.org", "@type": "Product", "name": name, "image": [image],
            "brand": {"@type": "Brand", "name": "Northwind"}, "sku": "NW-1", "offers": offer,
            "description": f"{name}: made to last."}
    struck = f'<s class="price--regular">${regular}</s>' if regular else ""
    return f"""<!doctype html><html lang="en"><head><title>{name} | Northwind</title>
<meta property="og:title" content="{name}"><meta property="og:image" content="{image}">
<script type="application/ld+json">{json.dumps(data)}</script></head>
<body><h1>{name}</h1><div class="price">{struck}<span class="price--sale">${price}</span></div>
<img src="{image}" alt="{name}"></body></html>"""


class PageServer:
    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.hits: dict[str, int] = {}
        # A slug held here is answered only once its event is set (a slow shop, on demand).
        self.held: dict[str, asyncio.Event] = {}
        # What a slug answers from its second request on: a changed page, or an HTTP status
        # (the shop changed the price, or removed the product, after the first read).
        self.later: dict[str, str | int] = {}
        self._photo = product_photo()
        self._runner: web.AppRunner | None = None
        self.base = ""

    def add_product(self, slug: str, name: str, price: str, currency: str = "USD", regular: str | None = None) -> str:
        self.pages[slug] = product_page(name, price, currency, f"{self.base}/img/{slug}.jpg", regular)
        return f"{self.base}/p/{slug}"

    async def _page(self, request: web.Request) -> web.StreamResponse:
        slug = request.match_info["slug"]
        self.hits[slug] = self.hits.get(slug, 0) + 1
        if slug not in self.pages:
            raise web.HTTPNotFound()
        if slug in self.held:
            await self.held[slug].wait()
        later = self.later.get(slug) if self.hits[slug] > 1 else None
        if isinstance(later, int):
            return web.Response(status=later, text="gone")
        return web.Response(text=later or self.pages[slug], content_type="text/html", charset="utf-8")

    async def _image(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=self._photo, content_type="image/jpeg")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/p/{slug}", self._page)
        app.router.add_get("/img/{name}", self._image)
        self.base, self._runner = await serve_app(app, "127.0.0.1", 0)

    async def close(self) -> None:
        if self._runner:
            await self._runner.cleanup()
