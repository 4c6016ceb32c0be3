"""Product extraction from shop pages: JSON-LD, microdata, RDFa, meta tags and the visible DOM.

See docs/extraction.md for the source priority and cross-check rules.
"""

from __future__ import annotations

from .errors import NO_PRICE_REASON, NoProductError
from .extractor import extract_product

__all__ = ["extract_product", "NoProductError", "NO_PRICE_REASON"]
