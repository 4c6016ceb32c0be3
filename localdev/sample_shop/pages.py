"""The sample shop's product pages, in the style of the bundled sample product page."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html import escape

from localdev.sample_shop.catalog import CURRENCY, Product
from localdev.sample_site import PRODUCT_PAGE

__all__ = ["product_page", "plain_page"]


@lru_cache(maxsize=1)
def _style() -> str:
    """The sample product page's stylesheet, so both sample shops look alike."""
    found = re.search(r"<style>.*?</style>", PRODUCT_PAGE.read_text(encoding="utf-8"), re.DOTALL)
    return found.group(0) if found else ""


def _json_ld(base: str, p: Product) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.name,
        "image": [f"{base}/images/{p.image}"],
        "brand": {"@type": "Brand", "name": p.brand},
        "sku": f"SKU-{1000 + p.index}",
        "offers": {
            "@type": "Offer",
            "price": str(p.charged),
            "priceCurrency": CURRENCY,
            "availability": "https://schema.org/InStock",
            "url": f"{base}/products/{p.handle}",
        },
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _price_html(p: Product) -> str:
    if p.sale_price is None:
        return f'<p class="price"><span class="now">€{p.price}</span></p>'
    return f'<p class="price"><span class="now">€{p.sale_price}</span> <s class="was">€{p.price}</s></p>'


def product_page(base: str, p: Product, script_price: bool = False) -> str:
    """A product page; with ``script_price`` the price exists only as a script's output."""
    head = "" if script_price else _json_ld(base, p)
    price = (
        f'<p class="price" id="price"></p><script>document.getElementById("price").textContent='
        f'["€", {json.dumps(str(p.charged))}].join("");</script>'
        if script_price
        else _price_html(p)
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(p.name)} | Sample shop</title>'
        f'<meta property="og:image" content="{base}/images/{p.image}">{_style()}{head}</head><body>'
        '<header class="site"><a class="logo" href="/">Sample shop</a></header>'
        f'<main class="product"><img src="/images/{p.image}" alt="{escape(p.name)}" width="800" height="800">'
        f'<h1>{escape(p.name)}</h1><p class="brand">{escape(p.brand)}</p>{price}'
        '<button type="button">Add to cart</button></main></body></html>'
    )


def plain_page(title: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>{_style()}'
        f"</head><body><h1>{escape(title)}</h1></body></html>"
    )
