"""The sample shop's web app: product pages, sitemaps, products.json, feed, robots, stats."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from localdev.sample_shop import documents
from localdev.sample_shop.catalog import BOT_WALL, SCRIPT_PRICE, Product, build_catalog
from localdev.sample_shop.pages import plain_page, product_page
from localdev.sample_shop.stats import RequestStats
from localdev.sample_site import SAMPLE_DIR, serve_app

__all__ = ["build_shop_app", "start_sample_shop"]

_HTML = "text/html"
Handler = Callable[[web.Request], Awaitable[web.Response]]
_STATS = web.AppKey("stats", RequestStats)
_CATALOG = web.AppKey("catalog", list)
_BY_HANDLE = web.AppKey("by_handle", dict)


def _base(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def _products(request: web.Request) -> list[Product]:
    return request.app[_CATALOG]


async def _product(request: web.Request) -> web.Response:
    product = request.app[_BY_HANDLE].get(request.match_info["handle"])
    if product is None:
        raise web.HTTPNotFound(text="no such product")
    if product.index in BOT_WALL:
        # What a bot-protection service's challenge looks like (Cloudflare marks it cf-mitigated).
        return web.Response(status=403, text="Just a moment... are you a robot?", content_type=_HTML,
                            headers={"cf-mitigated": "challenge", "Server": "cloudflare"})
    html = product_page(_base(request), product, script_price=product.index in SCRIPT_PRICE)
    return web.Response(text=html, content_type=_HTML, charset="utf-8")


async def _sitemap_index(request: web.Request) -> web.Response:
    body = documents.sitemap_index(_base(request), len(_products(request)))
    return web.Response(body=body, content_type="application/xml")


async def _product_sitemap(request: web.Request) -> web.Response:
    body = documents.product_sitemap(_base(request), _products(request), int(request.match_info["n"]))
    if body is None:
        raise web.HTTPNotFound()
    # Served as a .gz file, as most shops do: a gzip body, not a Content-Encoding.
    return web.Response(body=body, content_type="application/x-gzip")


async def _pages_sitemap(request: web.Request) -> web.Response:
    return web.Response(body=documents.pages_sitemap(_base(request)), content_type="application/xml")


async def _products_json(request: web.Request) -> web.Response:
    try:
        page = int(request.query.get("page", "1"))
        limit = min(max(int(request.query.get("limit", "30")), 1), 250)
    except ValueError as exc:
        raise web.HTTPBadRequest(text="page and limit are numbers") from exc
    body = documents.products_json(_base(request), _products(request), page, limit)
    return web.Response(body=body, content_type="application/json")


async def _feed(request: web.Request) -> web.Response:
    return web.Response(
        body=documents.merchant_feed(_base(request), _products(request)), content_type="application/rss+xml"
    )


async def _robots(request: web.Request) -> web.Response:
    return web.Response(text=f"User-agent: *\nDisallow: /cart\nSitemap: {_base(request)}/sitemap.xml\n")


def _plain(title: str) -> Handler:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(text=plain_page(title), content_type=_HTML, charset="utf-8")

    return handler


async def _stats(request: web.Request) -> web.Response:
    return web.json_response(request.app[_STATS].snapshot())


async def _stats_reset(request: web.Request) -> web.Response:
    request.app[_STATS].reset()
    return web.json_response({})


def build_shop_app(products: int = 1000, seed: int = 1) -> web.Application:
    stats = RequestStats()
    app = web.Application(middlewares=[stats.middleware])
    catalog = build_catalog(products, seed)
    app[_STATS], app[_CATALOG] = stats, catalog
    app[_BY_HANDLE] = {p.handle: p for p in catalog}
    app.router.add_get("/products/{handle}", _product)
    app.router.add_get("/sitemap.xml", _sitemap_index)
    app.router.add_get("/sitemaps/products-{n:\\d+}.xml.gz", _product_sitemap)
    app.router.add_get("/sitemaps/pages.xml", _pages_sitemap)
    app.router.add_get("/products.json", _products_json)
    app.router.add_get("/feed.xml", _feed)
    app.router.add_get("/robots.txt", _robots)
    for path in documents.NON_PRODUCT_PATHS:
        app.router.add_get(path, _plain(path.strip("/") or "Sample shop"))
    app.router.add_get("/_stats", _stats)
    app.router.add_post("/_stats/reset", _stats_reset)
    app.router.add_static("/images/", SAMPLE_DIR / "images", show_index=False)
    return app


async def start_sample_shop(
    host: str = "127.0.0.1", port: int = 0, products: int = 1000, seed: int = 1
) -> tuple[str, web.AppRunner]:
    """Start serving; returns ``(base_url, runner)``; stop with ``await runner.cleanup()``."""
    return await serve_app(build_shop_app(products, seed), host, port)
