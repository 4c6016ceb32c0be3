"""A local sample shop of N products (default 1,000): pages, sitemaps, products.json, feed.

    python -m localdev.sample_shop --port 8300 --products 1000    # prints SAMPLE_SHOP_URL=...

See docs/batch-sources.md.
"""

from __future__ import annotations

from localdev.sample_shop.app import build_shop_app, start_sample_shop

__all__ = ["build_shop_app", "start_sample_shop"]
