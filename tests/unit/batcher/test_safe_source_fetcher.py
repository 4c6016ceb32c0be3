"""SafeFetcher.fetch_document through SafeSourceFetcher: types accepted, bytes bounded."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from services.batcher.sources.safe_source_fetcher import SafeSourceFetcher
from services.common.fetching.fetch_errors import BlockedAddressError, NotADocumentError, TooLargeError
from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher

BOMB = gzip.compress(b" " * 5_000_000)


async def _png(_request: web.Request) -> web.Response:
    return web.Response(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")


async def _bomb(_request: web.Request) -> web.Response:
    return web.Response(body=BOMB, headers={"Content-Type": "application/xml", "Content-Encoding": "gzip"})


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/logo.png", _png)
    app.router.add_get("/bomb.xml", _bomb)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def _settings(allow: bool = True) -> FetchSettings:
    return FetchSettings(allow_networks="127.0.0.1/32" if allow else "", retry_attempts=1)  # type: ignore[arg-type]


async def test_an_image_is_not_a_source_document(server: str) -> None:
    """A URL answering image/png is refused with words, permanently."""
    async with SafeFetcher(_settings()) as fetcher:
        with pytest.raises(NotADocumentError, match="image/png"):
            await SafeSourceFetcher(fetcher).get(f"{server}/logo.png", 1_000_000)


async def test_a_content_encoding_bomb_stops_at_the_callers_limit(server: str) -> None:
    """A gzip Content-Encoding inflating past the limit raises TooLargeError, not a 5 MB body."""
    async with SafeFetcher(_settings()) as fetcher:
        with pytest.raises(TooLargeError):
            await SafeSourceFetcher(fetcher).get(f"{server}/bomb.xml", 100_000)


async def test_loopback_stays_refused_without_the_allow_list(server: str) -> None:
    """Source documents obey the same address policy as pages."""
    async with SafeFetcher(_settings(allow=False)) as fetcher:
        with pytest.raises(BlockedAddressError):
            await SafeSourceFetcher(fetcher).get(f"{server}/bomb.xml", 100_000)
