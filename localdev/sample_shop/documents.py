"""The sample shop's machine-readable documents: sitemaps, products.json, Merchant feed."""

from __future__ import annotations

import gzip
import json
from xml.sax.saxutils import escape

from localdev.sample_shop.catalog import CURRENCY, Product

__all__ = [
    "SITEMAP_CHUNK",
    "NON_PRODUCT_PATHS",
    "sitemap_index",
    "product_sitemap",
    "pages_sitemap",
    "products_json",
    "merchant_feed",
]

SITEMAP_CHUNK = 400
NON_PRODUCT_PATHS = ("/", "/about", "/contact", "/blog/caring-for-stoneware", "/collections/all")
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemap_index(base: str, count: int) -> bytes:
    chunks = (count + SITEMAP_CHUNK - 1) // SITEMAP_CHUNK
    entries = [f"{base}/sitemaps/pages.xml"] + [f"{base}/sitemaps/products-{n + 1}.xml.gz" for n in range(chunks)]
    body = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {_NS}>{body}</sitemapindex>'.encode()


def _urlset(urls: list[str]) -> bytes:
    body = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {_NS}>{body}</urlset>'.encode()


def product_sitemap(base: str, products: list[Product], chunk: int) -> bytes | None:
    part = products[(chunk - 1) * SITEMAP_CHUNK : chunk * SITEMAP_CHUNK]
    if chunk < 1 or not part:
        return None
    return gzip.compress(_urlset([f"{base}/products/{p.handle}" for p in part]), mtime=0)


def pages_sitemap(base: str) -> bytes:
    return _urlset([f"{base}{path}" for path in NON_PRODUCT_PATHS])


def products_json(base: str, products: list[Product], page: int, limit: int) -> bytes:
    part = products[(page - 1) * limit : page * limit] if page >= 1 else []
    return json.dumps(
        {
            "products": [
                {
                    "id": 1000 + p.index,
                    "title": p.name,
                    "handle": p.handle,
                    "vendor": p.brand,
                    "variants": [{"id": 50000 + p.index, "price": str(p.charged)}],
                    "images": [{"src": f"{base}/images/{p.image}"}],
                }
                for p in part
            ]
        }
    ).encode()


def merchant_feed(base: str, products: list[Product]) -> bytes:
    items = []
    for p in products:
        sale = f"<g:sale_price>{p.sale_price} {CURRENCY}</g:sale_price>" if p.sale_price is not None else ""
        items.append(
            f"<item><g:id>{1000 + p.index}</g:id><g:title>{escape(p.name)}</g:title>"
            f"<g:link>{base}/products/{p.handle}</g:link><g:price>{p.price} {CURRENCY}</g:price>{sale}"
            f"<g:image_link>{base}/images/{p.image}</g:image_link><g:brand>{escape(p.brand)}</g:brand>"
            "<g:availability>in_stock</g:availability></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">'
        f"<channel><title>Sample shop</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()
