"""Product extraction from shop pages: JSON-LD, microdata, RDFa, meta tags and the visible DOM.

See docs/extraction.md for the source priority and cross-check rules.
"""

from __future__ import annotations

from .errors import NO_PRICE_REASON, NoProductError

# TEMPORARY SHIM until the extractor reports its own evidence (see evidence_shim.py).
from .evidence_shim import Extraction, extract_with_evidence
from .extractor import extract_product

__all__ = ["extract_product", "extract_with_evidence", "Extraction", "NoProductError", "NO_PRICE_REASON"]
