"""The source-expansion contract: what a source is, what it yields, how it is bounded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.common.batch import SourceItem
from services.common.errors import PermanentError
from services.common.fetching.fetched_content import FetchedDocument

__all__ = [
    "SOURCE_TYPES",
    "SourceSpec",
    "SourceItem",
    "SourcePage",
    "ExpansionLimits",
    "SourceFetcher",
    "FetchedDocument",
    "SourceError",
    "SourceLimitError",
]

SOURCE_TYPES = frozenset({"auto", "sitemap", "shopify", "feed"})


@dataclass(frozen=True, slots=True)
class SourceSpec:
    type: str
    url: str
    pattern: str | None = None  # regex searched in each product URL's path
    max_items: int = 10_000


@dataclass(frozen=True, slots=True)
class SourcePage:
    items: list[SourceItem]
    cursor: str | None  # None: the source is exhausted


@dataclass(frozen=True, slots=True)
class ExpansionLimits:
    max_items: int = 10_000
    max_bytes: int = 50_000_000  # decoded bytes of every document fetched, together
    max_seconds: float = 300.0  # wall time, summed over resumed runs


class SourceFetcher(Protocol):
    """GET one document of at most ``limit`` decoded bytes (the safe fetcher underneath)."""

    async def get(self, url: str, limit: int) -> FetchedDocument: ...


class SourceError(PermanentError):
    """The source cannot be expanded; ``reason`` tells the person what to change."""

    public_reason = True


class SourceLimitError(SourceError):
    """The source needed more bytes or time than a batch may spend expanding it."""
