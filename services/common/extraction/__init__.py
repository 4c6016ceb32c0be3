"""Product extraction from shop pages: JSON-LD, microdata, RDFa, meta tags and the visible DOM.

See docs/extraction.md for the source priority and cross-check rules.
"""

from __future__ import annotations

from .errors import NO_PRICE_REASON, NoProductError
from .extractor import Extraction, extract_product, extract_with_evidence

__all__ = ["Extraction", "extract_product", "extract_with_evidence", "NoProductError", "NO_PRICE_REASON"]
