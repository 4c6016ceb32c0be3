"""The SourceFetcher the batch worker uses: the project's safe fetcher, asked for documents."""

from __future__ import annotations

from services.batcher.sources.spec import FetchedDocument
from services.common.fetching.safe_fetch import SafeFetcher

__all__ = ["DOCUMENT_TYPES", "SafeSourceFetcher"]

#: What a sitemap, feed, products.json or (for ``auto``) a shop's home page may be served as.
DOCUMENT_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/json",
        "text/json",
        "application/gzip",
        "application/x-gzip",
        "text/plain",
        "text/html",
        "application/xhtml+xml",
    }
)


class SafeSourceFetcher:
    """Every source document goes through the SSRF-safe, bounded, retrying SafeFetcher."""

    def __init__(self, fetcher: SafeFetcher) -> None:
        self._fetcher = fetcher

    async def get(self, url: str, limit: int) -> FetchedDocument:
        return await self._fetcher.fetch_document(url, max(limit, 1), DOCUMENT_TYPES)
