"""Errors the extractor raises; both are permanent (a retry sees the same HTML)."""

from __future__ import annotations

from services.common.errors import PermanentError

__all__ = ["NoProductError", "NO_PRICE_REASON"]

#: The phrase every "product without a price" failure carries, so people and
#: dashboards can tell a JavaScript-rendered price from a page that is not a product.
NO_PRICE_REASON = "no price in the page HTML"


class NoProductError(PermanentError):
    """The page has no product, or a product whose price is not in the HTML."""
