"""The data shops embed for their own scripts, read as product records.

One entry for every family, each in its own module:

| source | module | reads |
| --- | --- | --- |
| `embedded:shopify` | embedded_shopify.py | theme product JSON, `ShopifyAnalytics.meta` |
| `embedded:magento`, `:woocommerce`, `:sfcc`, `:shopware` | embedded_markup.py | price-box markup and config |
| `embedded:prestashop`, `:bigcommerce` | embedded_platform_js.py | `data-product`, `BCData` |
| `embedded:amazon`, `:ebay` | embedded_marketplace.py | buy-box price blocks |
| `embedded:next`, `:nuxt`, `:state`, `:apollo` | embedded_state.py | framework states, by shape |
| `embedded:analytics` | embedded_analytics.py | product-detail data-layer messages |

Every product comes back schema.org-shaped (schema.py reads it like JSON-LD) with its
source and a path to find it again in the page. Platform readers come first (they know
which product is the page's), framework states next (found by shape: the extractor keeps
one only when it matches the page), analytics last (they are written for reports: a
currency converted for the head office, an internal name).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from lxml import etree

from .currency import LocaleHints
from .embedded_analytics import read_analytics
from .embedded_marketplace import read_amazon, read_ebay
from .embedded_markup import read_magento, read_sfcc, read_shopware, read_woocommerce
from .embedded_platform_js import read_bigcommerce, read_prestashop
from .embedded_scan import PageScripts, ScriptText, page_scripts
from .embedded_shape import EmbeddedProduct
from .embedded_shopify import read_shopify
from .embedded_state import read_initial_state, read_next, read_nuxt
from .merge import choose_main
from .record import ProductRecord
from .schema import product_record

__all__ = ["EmbeddedProduct", "read_embedded", "embedded_records", "ANALYTICS_SOURCE"]

ANALYTICS_SOURCE = "embedded:analytics"
_log = logging.getLogger(__name__)

Reader = Callable[[etree._Element, list[ScriptText], LocaleHints], list[EmbeddedProduct]]
Gate = Callable[[PageScripts], bool]


def _always(page: PageScripts) -> bool:
    return True


# In trust order: the platform's own product data first, analytics last. A markup reader
# walks the tree only when the page shows its platform's signs (its script URLs, its body
# class, its inline scripts), which cost nothing to test; script readers always run.
_READERS: tuple[tuple[str, Gate, Reader], ...] = (
    ("shopify", _always, lambda root, scripts, hints: read_shopify(scripts)),
    (
        "magento",
        lambda page: any(s.type == "text/x-magento-init" for s in page.scripts),
        lambda root, scripts, hints: read_magento(root, scripts),
    ),
    (
        "woocommerce",
        lambda page: "woocommerce" in page.body_class,
        lambda root, scripts, hints: read_woocommerce(root, hints),
    ),
    (
        "sfcc",
        lambda page: "demandware" in page.sources or page.mention("demandware"),
        lambda root, scripts, hints: read_sfcc(root, hints),
    ),
    (
        "shopware",
        lambda page: "is-ctl-product" in page.body_class or "is--ctl-detail" in page.body_class,
        lambda root, scripts, hints: read_shopware(root, hints),
    ),
    ("prestashop", lambda page: page.mention("prestashop"), read_prestashop),
    ("bigcommerce", lambda page: page.mention("BCData") or "bigcommerce" in page.sources, read_bigcommerce),
    # AUI, Amazon's UI framework, marks the body of every Amazon storefront.
    ("amazon", lambda page: "a-aui" in page.body_class, lambda root, scripts, hints: read_amazon(root, hints)),
    (
        "ebay",
        lambda page: "ebaystatic" in page.sources or "ebayimg" in page.sources,
        lambda root, scripts, hints: read_ebay(root, hints),
    ),
    ("next", _always, lambda root, scripts, hints: read_next(scripts)),
    ("nuxt", _always, lambda root, scripts, hints: read_nuxt(scripts)),
    ("state", _always, lambda root, scripts, hints: read_initial_state(scripts)),
    ("analytics", _always, lambda root, scripts, hints: read_analytics(scripts)),
)


def read_embedded(root: etree._Element, hints: LocaleHints) -> list[EmbeddedProduct]:
    """Every embedded product the page carries, in trust order (bounded: see embedded_scan.py)."""
    page = page_scripts(root)
    found: list[EmbeddedProduct] = []
    for kind, gate, reader in _READERS:
        if not gate(page):
            continue
        try:
            found.extend(reader(root, page.scripts, hints))
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as exc:
            # A shop's odd state must not cost the page its other sources.
            _log.debug("embedded reader %s failed: %r", kind, exc)
    return found


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"\w+", (text or "").lower()))


def _is_page_product(record: ProductRecord, titles: list[str | None], page_url: str) -> bool:
    """A product found by shape is the page's when its URL is the page's or its name is the title's."""
    page_path = urlsplit(page_url).path.rstrip("/")
    if record.url and page_path and urlsplit(record.url).path.rstrip("/") == page_path:
        return True
    name = _words(record.name)
    for title in titles:
        words = _words(title)
        # Nearly all of the name, and most of the title: "Sonar Mini" is not "Sonar 2".
        if name and words and len(name & words) >= max(0.8 * len(name), 0.6 * len(words)):
            return True
    return False


def embedded_records(
    root: etree._Element, hints: LocaleHints, titles: list[str | None], page_url: str
) -> tuple[list[ProductRecord], list[ProductRecord]]:
    """(platform and framework records, analytics records): one main product per source, in trust order.

    ``titles`` are the page's own names for its product (the h1, og:title, <title>): a product
    found by shape in a framework state is kept only when it matches one of them or the URL.
    """
    by_source: dict[str, list[ProductRecord]] = {}
    for item in read_embedded(root, hints):
        record = product_record(item.node, item.source)
        if item.detail or _is_page_product(record, titles, page_url):
            by_source.setdefault(item.source, []).append(record)
    main: list[ProductRecord] = []
    analytics: list[ProductRecord] = []
    for source, records in by_source.items():
        chosen = choose_main(records, titles[0] if titles else None, page_url)
        if chosen is not None:
            (analytics if source == ANALYTICS_SOURCE else main).append(chosen)
    return main, analytics
