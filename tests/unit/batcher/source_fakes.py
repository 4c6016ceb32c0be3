"""A dictionary-backed SourceFetcher for the expander tests."""

from __future__ import annotations

from services.batcher.sources.spec import FetchedDocument
from services.common.fetching.fetch_errors import HttpStatusError, TooLargeError


class DictFetcher:
    """Serves ``documents[url] = (body, content_type)``; 404 otherwise; counts requests."""

    def __init__(self, documents: dict[str, tuple[bytes, str]]) -> None:
        self.documents = documents
        self.requests: list[str] = []

    async def get(self, url: str, limit: int) -> FetchedDocument:
        self.requests.append(url)
        if url not in self.documents:
            raise HttpStatusError("The page answered 404 Not Found", 404)
        body, content_type = self.documents[url]
        if len(body) > limit:
            raise TooLargeError("The document is larger than the limit we accept")
        return FetchedDocument(body=body, content_type=content_type, final_url=url)


def urlset(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()
    )


def index(urls: list[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</sitemapindex>"
    ).encode()
