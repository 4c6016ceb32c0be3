"""Expanding a batch source (sitemap, Shopify products.json, Merchant feed) into items.

See docs/batch-sources.md. Entry point: ``expand`` (expand.py); types in spec.py.
"""

from __future__ import annotations

from services.batcher.sources.cursor import emitted_before
from services.batcher.sources.expand import expand
from services.batcher.sources.spec import (
    ExpansionLimits,
    FetchedDocument,
    SourceError,
    SourceFetcher,
    SourceItem,
    SourceLimitError,
    SourcePage,
    SourceSpec,
)

__all__ = [
    "emitted_before",
    "expand",
    "ExpansionLimits",
    "FetchedDocument",
    "SourceError",
    "SourceFetcher",
    "SourceItem",
    "SourceLimitError",
    "SourcePage",
    "SourceSpec",
]
