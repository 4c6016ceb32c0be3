"""What the safe fetcher hands back: a decoded HTML page, or a checked product image."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FetchedPage", "FetchedImage", "FetchedDocument"]


@dataclass(frozen=True)
class FetchedPage:
    """An HTML page. ``redirects`` lists each URL we were sent to, in order; the last is
    ``final_url``. ``headers`` are the final response's, with lower-case names."""

    url: str
    final_url: str
    status: int
    content_type: str
    encoding: str
    body: bytes = field(repr=False)
    text: str = field(repr=False)
    headers: dict[str, str]
    redirects: list[str]


@dataclass(frozen=True)
class FetchedImage:
    """A product image; ``content_type`` is the format Pillow found, not what the server said."""

    url: str
    final_url: str
    content_type: str
    body: bytes = field(repr=False)
    width: int
    height: int


@dataclass(frozen=True)
class FetchedDocument:
    """A sitemap, feed or JSON document, decoded from its Content-Encoding but not parsed."""

    body: bytes = field(repr=False)
    content_type: str
    final_url: str
