"""``expand``: a source spec becomes pages of items, bounded and resumable.

Bounds (ExpansionLimits and the spec's max_items): items emitted (reaching it ends the
source normally), decoded bytes fetched and wall time (passing either raises
SourceLimitError). Sitemap indexes nest at most ``MAX_DEPTH`` levels.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncGenerator
from urllib.parse import urlsplit

from services.batcher.sources.cursor import ExpansionState, url_key
from services.batcher.sources.detect import SourceKind, detect_kind
from services.batcher.sources.merchant_feed import is_merchant_feed, read_feed
from services.batcher.sources.safe_xml import GZIP_MAGIC, gunzip_bounded, parse_xml
from services.batcher.sources.shopify import looks_like_products_json, page_url, read_products_page, shop_origin
from services.batcher.sources.sitemap import read_sitemap
from services.batcher.sources.spec import (
    SOURCE_TYPES,
    ExpansionLimits,
    SourceError,
    SourceFetcher,
    SourceItem,
    SourceLimitError,
    SourcePage,
    SourceSpec,
)
from services.common.errors import PermanentError
from services.common.fetching.fetch_errors import TooLargeError

__all__ = ["expand", "MAX_DEPTH", "PAGE_ITEMS", "MAX_QUEUE"]

MAX_DEPTH = 3  # an index of indexes of sitemaps, no deeper
PAGE_ITEMS = 500
MAX_QUEUE = 1_000  # documents waiting; a bigger index is refused rather than carried in a cursor
_PROBE = "probe"  # a shop home page's /products.json, tried once

Candidate = tuple[str, SourceItem]


def _start(spec: SourceSpec) -> ExpansionState:
    if spec.type not in SOURCE_TYPES:
        raise SourceError(f"Unknown source type {spec.type!r}: use auto, sitemap, shopify or feed")
    if spec.type == "shopify":
        return ExpansionState(queue=[("shopify", shop_origin(spec.url), 1)])
    return ExpansionState(queue=[(spec.type, spec.url, 0)])


def _pattern(spec: SourceSpec) -> re.Pattern[str] | None:
    if not spec.pattern:
        return None
    try:
        return re.compile(spec.pattern)
    except re.error as exc:
        raise SourceError(f"The URL pattern is not a valid regular expression ({exc})") from exc


class _Run:
    def __init__(
        self, spec: SourceSpec, fetcher: SourceFetcher, limits: ExpansionLimits, state: ExpansionState
    ) -> None:
        self.fetcher, self.limits, self.state = fetcher, limits, state
        self.max_items = min(spec.max_items, limits.max_items)
        self.pattern = _pattern(spec)
        self.started = time.monotonic()
        self.prior_seconds = state.seconds_used

    def seconds_left(self) -> float:
        self.state.seconds_used = self.prior_seconds + time.monotonic() - self.started
        return self.limits.max_seconds - self.state.seconds_used

    def bytes_left(self) -> int:
        return self.limits.max_bytes - self.state.bytes_used

    async def fetch(self, url: str) -> tuple[bytes, str]:
        left = self.seconds_left()
        if left <= 0 or self.bytes_left() <= 0:
            raise self.limit_error()
        try:
            async with asyncio.timeout(left):
                document = await self.fetcher.get(url, self.bytes_left())
        except TimeoutError as exc:
            raise self.limit_error() from exc
        except TooLargeError as exc:  # the document passed what is left of our byte budget
            raise self.limit_error() from exc
        except SourceError:
            raise
        except PermanentError as exc:
            raise SourceError(f"{url}: {exc.reason}") from exc
        body = document.body
        self.state.bytes_used += len(body)
        if body[:2] == GZIP_MAGIC:
            body = await asyncio.to_thread(gunzip_bounded, body, self.bytes_left(), "compressed sitemap")
            self.state.bytes_used += len(body)
        if self.bytes_left() < 0:
            raise self.limit_error()
        return body, document.content_type

    def limit_error(self) -> SourceLimitError:
        return SourceLimitError(
            f"Expanding the source needed more than {self.limits.max_bytes:,} bytes or "
            f"{self.limits.max_seconds:g} seconds after {self.state.emitted} products: "
            "point at a smaller sitemap or narrow it with a pattern"
        )

    def keep(self, url: str) -> bool:
        return self.pattern is None or self.pattern.search(urlsplit(url).path) is not None

    async def document(self, kind: str, url: str, depth: int) -> tuple[list[Candidate], list[tuple[str, str, int]]]:
        """The candidates of one document and the documents it leads to."""
        body, content_type = await self.fetch(_fetch_url(kind, url, depth))
        if kind == "auto":
            found = detect_kind(body, content_type)
            if found is SourceKind.SHOP_HOME:
                return [], [(_PROBE, shop_origin(url), 1)]
            kind = found.value
        if kind == _PROBE:
            if not looks_like_products_json(body):
                raise SourceError("The address is a web page, but not of a shop with a /products.json")
            kind = "shopify"
        if kind == "shopify":
            urls = read_products_page(body, url)
            nxt = [("shopify", url, depth + 1)] if urls else []
            return [(u, SourceItem(productUrl=u)) for u in urls], nxt
        root = await asyncio.to_thread(parse_xml, body, "feed" if kind == "feed" else "sitemap")
        if kind == "feed":
            if not is_merchant_feed(root):
                raise SourceError("The feed is not an RSS or Atom feed using Google's g: fields")
            return await asyncio.to_thread(read_feed, root), []
        sitemap = read_sitemap(root)
        if not sitemap.is_index:
            return [(u, SourceItem(productUrl=u)) for u in sitemap.locations], []
        if depth + 1 > MAX_DEPTH:
            raise SourceError(f"The sitemap index nests deeper than {MAX_DEPTH} levels")
        return [], [("sitemap", child, depth + 1) for child in sitemap.locations]


def _fetch_url(kind: str, url: str, page: int) -> str:
    return page_url(url, page) if kind in ("shopify", _PROBE) else url


async def expand(
    spec: SourceSpec, fetcher: SourceFetcher, limits: ExpansionLimits, cursor: str | None = None
) -> AsyncGenerator[SourcePage, None]:
    """Yield pages of new items; each page's cursor resumes right after it (None: done)."""
    state = ExpansionState.decode(cursor) if cursor else _start(spec)
    run = _Run(spec, fetcher, limits, state)
    while state.queue and state.emitted < run.max_items:
        kind, url, depth = state.queue[0]
        candidates, successors = await run.document(kind, url, depth)
        rest = successors + state.queue[1:]
        if len(rest) > MAX_QUEUE:
            raise SourceLimitError(f"The sitemap index lists more than {MAX_QUEUE} sitemaps")
        batch: list[SourceItem] = []
        index = state.skip
        while index < len(candidates) and state.emitted < run.max_items:
            link, item = candidates[index]
            index += 1
            key = url_key(link)
            if key in state.seen or not run.keep(link):
                continue
            state.seen.add(key)
            state.emitted += 1
            batch.append(item)
            if len(batch) >= PAGE_ITEMS and index < len(candidates):
                state.skip = index
                run.seconds_left()
                yield SourcePage(items=batch, cursor=state.encode())
                batch = []
        state.queue, state.skip = rest, 0
        run.seconds_left()
        finished = not state.queue or state.emitted >= run.max_items
        if batch or finished:
            yield SourcePage(items=batch, cursor=None if finished else state.encode())
        if finished:
            return
    yield SourcePage(items=[], cursor=None)
