"""The only way the services reach strangers' URLs (product pages, product photos), safely.

Every URL and redirect goes through ``AddressPolicy``; every DNS answer through
``GuardedResolver`` inside the connector, so the socket uses exactly the checked address.
Time, redirects and bytes are bounded; transient failures are retried a few times here
(tenacity) and then raised for the queue to retry later. See docs/fetching.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from types import TracebackType
from typing import TypeVar

import aiohttp
from aiohttp.abc import AbstractResolver
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)
from yarl import URL

from services.common.fetching.address_policy import AddressPolicy
from services.common.fetching.bounded_body import ACCEPT_ENCODING, read_bounded
from services.common.fetching.charset import charset_from_content_type, decode_html
from services.common.fetching.fetch_errors import (
    FetchConnectionError,
    FetchError,
    FetchTimeoutError,
    FetchTransientError,
    HostBusyError,
    InsecureConnectionError,
    NotADocumentError,
    NotAnImageError,
    NotHtmlError,
    TooManyRedirectsError,
    UnsupportedUrlError,
)
from services.common.fetching.fetch_settings import FetchSettings
from services.common.fetching.fetch_span import fetch_span as _fetch_span
from services.common.fetching.fetched_content import FetchedDocument, FetchedImage, FetchedPage
from services.common.fetching.guarded_resolver import GuardedResolver
from services.common.fetching.image_probe import IMAGE_TYPES, probe_image
from services.common.fetching.response_checks import (
    HTML_TYPES,
    REDIRECT_STATUSES,
    UNTYPED,
    check_declared_length,
    error_for_status,
    looks_like_html,
    media_type,
)

__all__ = ["SafeFetcher", "FetchSettings", "FetchedPage", "FetchedImage", "RequestGate"]

T = TypeVar("T")
#: Wraps every attempt (one HTTP request and its redirects) to a URL: the scraper's per-host pace.
RequestGate = Callable[[str], AbstractAsyncContextManager[object]]

_ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
_ACCEPT_IMAGE = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5"
_ACCEPT_DOCUMENT = "application/xml,text/xml,application/json,application/rss+xml;q=0.9,*/*;q=0.5"
_CHUNK = 64 * 1024


async def _read_body(response: aiohttp.ClientResponse, limit: int, what: str) -> bytes:
    check_declared_length(response.headers, limit, what)
    return await read_bounded(response.content.iter_chunked(_CHUNK), response.headers.get("Content-Encoding", ""),
                              limit, what)


class SafeFetcher:
    """Owns one aiohttp session; use as ``async with SafeFetcher(settings) as fetcher``.

    ``resolver`` replaces the system resolver *underneath* the guard (tests fake DNS with
    it); the guard itself cannot be replaced.
    """

    def __init__(self, settings: FetchSettings, resolver: AbstractResolver | None = None) -> None:
        self._settings = settings
        self._policy = AddressPolicy(settings)
        self._inner_resolver = resolver
        self._session: aiohttp.ClientSession | None = None
        self._wait = wait_exponential_jitter(
            multiplier=settings.retry_base_delay, max=settings.retry_max_delay
        )

    async def __aenter__(self) -> SafeFetcher:
        settings = self._settings
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self._policy, self._inner_resolver),
            use_dns_cache=False,  # every connection re-checks its own fresh DNS answer
            limit=100,
            limit_per_host=4,  # politeness towards any one shop
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=settings.total_timeout,
                connect=settings.connect_timeout,
                sock_connect=settings.connect_timeout,
            ),
            auto_decompress=False,  # bounded_body inflates with a cap instead
            trust_env=False,  # a proxy from the environment would bypass the resolver guard
            cookie_jar=aiohttp.DummyCookieJar(),  # no cookies shared between jobs
            headers={
                "User-Agent": settings.user_agent,
                "Accept-Language": settings.accept_language,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch_page(self, url: str, gate: RequestGate | None = None) -> FetchedPage:
        """Fetch an HTML page; raise a FetchError subclass saying why not."""
        with _fetch_span("fetch.page", url):
            return await self._with_retries(self._fetch_page_once, url, gate)

    async def fetch_document(
        self, url: str, limit: int, types: frozenset[str], gate: RequestGate | None = None
    ) -> FetchedDocument:
        """Fetch a machine-readable document (sitemap, feed, JSON) of one of ``types``,
        at most ``limit`` bytes after decoding; the caller parses it (untrusted input)."""
        with _fetch_span("fetch.document", url):
            return await self._with_retries(lambda u: self._fetch_document_once(u, limit, types), url, gate)

    async def fetch_image(self, url: str, gate: RequestGate | None = None) -> FetchedImage:
        """Fetch a product image within the image byte and pixel caps."""
        with _fetch_span("fetch.image", url):
            return await self._with_retries(self._fetch_image_once, url, gate)

    async def fetch_text(self, url: str, max_bytes: int, gate: RequestGate | None = None) -> str:
        """Fetch a small text file (robots.txt) of any type as UTF-8; TooLargeError past ``max_bytes``."""

        async def once(target: str) -> str:
            async with self._follow(target, "text/plain,*/*;q=0.5") as (response, _redirects):
                error = error_for_status(response.status, response.headers)
                if error is not None:
                    raise error
                body = await _read_body(response, max_bytes, "file")
                return body.decode("utf-8", errors="replace")

        return await self._with_retries(once, url, gate)

    # --- retries and error translation -------------------------------------------------

    def _should_retry(self, exc: BaseException) -> bool:
        if not isinstance(exc, FetchTransientError) or isinstance(exc, HostBusyError):
            return False  # a busy host already waited its bounded turn: the queue waits the rest
        # A long Retry-After is the shop asking us to go away for a while: let the queue wait.
        return exc.retry_after is None or exc.retry_after <= self._settings.max_retry_after

    def _wait_for(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        return float(retry_after) if retry_after is not None else self._wait(state)

    async def _with_retries(self, once: Callable[[str], Awaitable[T]], url: str, gate: RequestGate | None) -> T:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._settings.retry_attempts),
            wait=self._wait_for,
            retry=retry_if_exception(self._should_retry),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                async with gate(url) if gate is not None else nullcontext():
                    return await self._translated(once, url)
        raise AssertionError("unreachable: tenacity either returns or reraises")

    async def _translated(self, once: Callable[[str], Awaitable[T]], url: str) -> T:
        """One attempt, bounded by the total timeout, with aiohttp's errors made ours."""
        total = self._settings.total_timeout
        try:
            async with asyncio.timeout(total):
                return await once(url)
        except FetchError:
            raise
        except TimeoutError as exc:
            raise FetchTimeoutError(
                f"The shop did not answer within {total:g} seconds: we will try again"
            ) from exc
        except aiohttp.ClientConnectorCertificateError as exc:
            raise InsecureConnectionError(
                "The shop's HTTPS certificate could not be verified, so the page was not fetched"
            ) from exc
        except aiohttp.InvalidURL as exc:
            raise UnsupportedUrlError("The URL is not a valid web address: check the product URL") from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise FetchConnectionError(
                f"Could not connect to the shop ({type(exc).__name__}): we will try again"
            ) from exc

    # --- one attempt ---------------------------------------------------------------------

    @asynccontextmanager
    async def _follow(self, url: str, accept: str) -> AsyncIterator[tuple[aiohttp.ClientResponse, list[str]]]:
        """GET ``url`` following redirects by hand, checking every hop before connecting."""
        assert self._session is not None, "use SafeFetcher inside 'async with'"
        current = self._policy.check_url(url)
        redirects: list[str] = []
        cookies = aiohttp.CookieJar()  # only for this chain: shops that bounce via a cookie check
        while True:
            response = await self._session.get(
                current,
                headers={"Accept": accept},
                cookies=cookies.filter_cookies(current),
                allow_redirects=False,
            )
            location = response.headers.get("Location")
            if response.status not in REDIRECT_STATUSES or not location:
                break
            cookies.update_cookies(response.cookies, response.url)
            response.release()
            if len(redirects) >= self._settings.max_redirects:
                raise TooManyRedirectsError(
                    f"The page redirected more than {self._settings.max_redirects} times: "
                    "use the final product URL"
                )
            try:
                target = current.join(URL(location))
            except ValueError as exc:
                raise UnsupportedUrlError("The page redirected to an invalid address") from exc
            current = self._policy.check_url(target)
            redirects.append(str(current))
        try:
            yield response, redirects
        finally:
            response.release()

    async def _fetch_page_once(self, url: str) -> FetchedPage:
        limit = self._settings.max_page_bytes
        async with self._follow(url, _ACCEPT_HTML) as (response, redirects):
            error = error_for_status(response.status, response.headers)
            if error is not None:
                raise error
            declared = media_type(response.headers.get("Content-Type"))
            if declared not in HTML_TYPES and declared not in UNTYPED:
                raise NotHtmlError(f"The URL returned {declared}, not a web page: use the product page's URL")
            body = await _read_body(response, limit, "page")
            if declared not in HTML_TYPES and not looks_like_html(body):
                raise NotHtmlError("The URL did not return a web page: use the product page's URL")
            header_charset = charset_from_content_type(response.headers.get("Content-Type"))
            text, encoding = await asyncio.to_thread(decode_html, body, header_charset)
            return FetchedPage(
                url=url,
                final_url=str(response.url),
                status=response.status,
                content_type=declared or "text/html",
                encoding=encoding,
                body=body,
                text=text,
                headers={name.lower(): value for name, value in response.headers.items()},
                redirects=redirects,
            )

    async def _fetch_document_once(self, url: str, limit: int, types: frozenset[str]) -> FetchedDocument:
        async with self._follow(url, _ACCEPT_DOCUMENT) as (response, _redirects):
            error = error_for_status(response.status, response.headers)
            if error is not None:
                raise error
            declared = media_type(response.headers.get("Content-Type"))
            if declared not in types and declared not in UNTYPED:
                raise NotADocumentError(f"The address returned {declared}, not a sitemap, feed or JSON")
            body = await _read_body(response, limit, "document")
            return FetchedDocument(body=body, content_type=declared, final_url=str(response.url))

    async def _fetch_image_once(self, url: str) -> FetchedImage:
        limit = self._settings.max_image_bytes
        async with self._follow(url, _ACCEPT_IMAGE) as (response, _redirects):
            error = error_for_status(response.status, response.headers)
            if error is not None:
                raise error
            declared = media_type(response.headers.get("Content-Type"))
            if declared not in IMAGE_TYPES and declared not in UNTYPED:
                raise NotAnImageError(
                    f"The image URL returned {declared}; we accept JPEG, PNG, WebP or GIF images"
                )
            body = await _read_body(response, limit, "image")
            info = await asyncio.to_thread(probe_image, body, self._settings.max_image_pixels)
            return FetchedImage(
                url=url,
                final_url=str(response.url),
                content_type=info.content_type,
                body=body,
                width=info.width,
                height=info.height,
            )
