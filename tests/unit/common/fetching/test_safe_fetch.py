"""SafeFetcher against real aiohttp servers on 127.0.0.1: addresses, redirects, statuses, retries.

The servers are reachable only because each test's settings name 127.0.0.1/32 in
``allow_networks``; everything else about the policy is the production one.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.test_utils import TestServer

from services.common.errors import PermanentError, TransientError
from services.common.fetching.fetch_errors import (
    BlockedAddressError,
    FetchConnectionError,
    FetchTimeoutError,
    HostNotFoundError,
    HttpStatusError,
    RateLimitedError,
    ServerError,
    TooManyRedirectsError,
    UnsupportedUrlError,
)
from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher
from tests.unit.common.fetching.attack_urls import ATTACK_URLS, DNS_ATTACKS

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PAGE = "<!doctype html><html><head><title>Blue shoe</title></head><body><h1>Blue shoe</h1></body></html>"


def make_settings(**overrides: Any) -> FetchSettings:
    values: dict[str, Any] = {
        "allow_networks": "127.0.0.1/32",
        "connect_timeout": 1.0,
        "total_timeout": 2.0,
        "retry_attempts": 3,
        "retry_base_delay": 0.01,
        "retry_max_delay": 0.05,
        "max_retry_after": 1.0,
    }
    values.update(overrides)
    return FetchSettings(**values)


class Shop:
    """A 127.0.0.1 server whose routes are plain handlers; counts requests per path."""

    def __init__(self) -> None:
        self.app = web.Application()
        self.hits: dict[str, int] = {}
        self.requests: list[web.Request] = []
        self.server: TestServer | None = None

    def route(self, path: str, handler: Handler) -> None:
        async def counted(request: web.Request) -> web.StreamResponse:
            self.hits[path] = self.hits.get(path, 0) + 1
            self.requests.append(request)
            return await handler(request)

        self.app.router.add_get(path, counted)

    def url(self, path: str) -> str:
        assert self.server is not None
        return str(self.server.make_url(path))

    @property
    def port(self) -> int:
        assert self.server is not None and self.server.port is not None
        return self.server.port


@pytest.fixture
async def shop() -> AsyncIterator[Shop]:
    shop = Shop()
    yield shop
    if shop.server is not None:
        await shop.server.close()


async def started(shop: Shop) -> Shop:
    shop.server = TestServer(shop.app, host="127.0.0.1")
    await shop.server.start_server()
    return shop


def html(text: str = PAGE, status: int = 200, **headers: str) -> Handler:
    async def handler(_: web.Request) -> web.StreamResponse:
        return web.Response(text=text, status=status, content_type="text/html", headers=headers)

    return handler


def redirect(location: Callable[[], str], status: int = 302) -> Handler:
    async def handler(_: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": location()})

    return handler


class FakeDns(AbstractResolver):
    """Stands in for the system resolver underneath the guard."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(
                hostname=host, host=ip, port=port, family=socket.AF_INET, proto=0, flags=socket.AI_NUMERICHOST
            )
            for ip in self.answers[host]
        ]

    async def close(self) -> None:
        pass


async def test_fetches_a_page_from_an_allowed_network(shop: Shop) -> None:
    """A plain HTML page is fetched and decoded, with our User-Agent and no redirects."""
    shop.route("/p", html())
    await started(shop)
    async with SafeFetcher(make_settings(user_agent="TestBot/1")) as fetcher:
        page = await fetcher.fetch_page(shop.url("/p"))
    assert page.status == 200 and page.content_type == "text/html"
    assert "Blue shoe" in page.text and page.final_url == page.url == shop.url("/p")
    assert page.redirects == [] and page.headers["content-type"].startswith("text/html")
    assert shop.requests[0].headers["User-Agent"] == "TestBot/1"


async def test_without_the_allow_list_our_own_server_is_refused(shop: Shop) -> None:
    """With the default (empty) allow-list, a live 127.0.0.1 server is never contacted."""
    shop.route("/p", html())
    await started(shop)
    async with SafeFetcher(make_settings(allow_networks="")) as fetcher:
        with pytest.raises(BlockedAddressError):
            await fetcher.fetch_page(shop.url("/p"))
    assert shop.hits == {}


async def test_allow_list_opens_exactly_its_networks(shop: Shop) -> None:
    """Allowing 127.0.0.1/32 does not allow 127.0.0.2, though the kernel would route it to us."""
    shop.route("/p", html())
    await started(shop)
    async with SafeFetcher(make_settings()) as fetcher:
        with pytest.raises(BlockedAddressError):
            await fetcher.fetch_page(f"http://127.0.0.2:{shop.port}/p")
    assert shop.hits == {}


@pytest.mark.parametrize(("url", "attack"), ATTACK_URLS, ids=[a for _, a in ATTACK_URLS])
async def test_fetcher_refuses_every_attack_url(url: str, attack: str) -> None:
    """Each attack URL fails at once with a permanent error, before any connection."""
    async with SafeFetcher(
        make_settings(allow_networks="", retry_attempts=3), resolver=FakeDns({})
    ) as fetcher:
        with pytest.raises(PermanentError):
            await fetcher.fetch_page(url)


@pytest.mark.parametrize(("host", "answer", "attack"), DNS_ATTACKS, ids=[a for *_, a in DNS_ATTACKS])
async def test_fetcher_refuses_names_resolving_inside(host: str, answer: list[str], attack: str) -> None:
    """A name whose DNS answer contains any internal address is refused, mixed answers included."""
    async with SafeFetcher(make_settings(allow_networks=""), resolver=FakeDns({host: answer})) as fetcher:
        with pytest.raises(BlockedAddressError):
            await fetcher.fetch_page(f"https://{host}/product")


async def test_connection_goes_to_the_checked_address_with_the_name_as_host(shop: Shop) -> None:
    """The socket connects to the address the guard approved; the Host header keeps the name."""
    shop.route("/p", html())
    await started(shop)
    dns = FakeDns({"shop.test": ["127.0.0.1"]})
    async with SafeFetcher(make_settings(), resolver=dns) as fetcher:
        page = await fetcher.fetch_page(f"http://shop.test:{shop.port}/p")
    assert "Blue shoe" in page.text
    assert shop.requests[0].headers["Host"] == f"shop.test:{shop.port}"


async def test_redirects_are_followed_and_recorded(shop: Shop) -> None:
    """Relative and absolute redirects are followed; each target is listed in order."""
    shop.route("/a", redirect(lambda: "/b", 301))
    shop.route("/b", redirect(lambda: shop.url("/c"), 307))
    shop.route("/c", html())
    await started(shop)
    async with SafeFetcher(make_settings()) as fetcher:
        page = await fetcher.fetch_page(shop.url("/a"))
    assert page.redirects == [shop.url("/b"), shop.url("/c")]
    assert page.final_url == shop.url("/c") and page.url == shop.url("/a")


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.2/",
        "http://localhost/",
        "http://[::ffff:127.0.0.1]/",
        "http://2130706434/",
        "file:///etc/passwd",
    ],
)
async def test_redirect_to_a_blocked_address_is_refused(shop: Shop, target: str) -> None:
    """A redirect is checked like the first URL: one into an internal address fails permanently."""
    shop.route("/go", redirect(lambda: target))
    await started(shop)
    async with SafeFetcher(make_settings()) as fetcher:
        with pytest.raises((BlockedAddressError, UnsupportedUrlError)):
            await fetcher.fetch_page(shop.url("/go"))
    assert shop.hits == {"/go": 1}


async def test_redirect_limit(shop: Shop) -> None:
    """Five redirects are followed; a sixth fails permanently and its target is never requested."""

    async def hop(request: web.Request) -> web.StreamResponse:
        n = int(request.match_info["n"])
        return web.Response(status=302, headers={"Location": f"/hop/{n + 1}"})

    shop.app.router.add_get("/hop/{n}", hop)
    shop.route("/hop/5", html())
    await started(shop)
    async with SafeFetcher(make_settings(max_redirects=5)) as fetcher:
        page = await fetcher.fetch_page(shop.url("/hop/0"))
        with pytest.raises(TooManyRedirectsError) as caught:
            await fetcher.fetch_page(shop.url("/hop/-1"))
    assert page.final_url == shop.url("/hop/5") and len(page.redirects) == 5
    assert "more than 5 times" in caught.value.reason
    assert shop.hits == {"/hop/5": 1}  # the sixth redirect's target was never requested


@pytest.mark.parametrize(
    ("status", "words"), [(404, "404 Not Found"), (410, "410 Gone"), (403, "403 Forbidden")]
)
async def test_client_errors_are_permanent_and_not_retried(shop: Shop, status: int, words: str) -> None:
    """404, 410 and 403 fail at once, once, with the status in a readable reason."""
    shop.route("/p", html(status=status))
    await started(shop)
    async with SafeFetcher(make_settings()) as fetcher:
        with pytest.raises(HttpStatusError) as caught:
            await fetcher.fetch_page(shop.url("/p"))
    assert caught.value.status == status and words in caught.value.reason
    assert shop.hits == {"/p": 1}


async def test_server_error_is_retried_then_succeeds(shop: Shop) -> None:
    """A 500 is transient: the fetcher retries and returns the page once the server recovers."""
    answers = iter([500, 503, 200])

    async def flaky(_: web.Request) -> web.StreamResponse:
        return web.Response(text=PAGE, status=next(answers), content_type="text/html")

    shop.route("/p", flaky)
    await started(shop)
    async with SafeFetcher(make_settings(retry_attempts=3)) as fetcher:
        page = await fetcher.fetch_page(shop.url("/p"))
    assert page.status == 200 and shop.hits == {"/p": 3}


async def test_server_error_that_persists_is_raised_as_transient(shop: Shop) -> None:
    """After the bounded attempts a 5xx is raised as a transient error for the queue to retry."""
    shop.route("/p", html(status=502))
    await started(shop)
    async with SafeFetcher(make_settings(retry_attempts=2)) as fetcher:
        with pytest.raises(ServerError) as caught:
            await fetcher.fetch_page(shop.url("/p"))
    assert isinstance(caught.value, TransientError) and caught.value.status == 502
    assert shop.hits == {"/p": 2}


async def test_429_honours_a_short_retry_after(shop: Shop) -> None:
    """A 429 with a short Retry-After is waited for and retried inside the fetcher."""
    answers = iter([429, 200])

    async def limited(_: web.Request) -> web.StreamResponse:
        status = next(answers)
        return web.Response(text=PAGE, status=status, content_type="text/html", headers={"Retry-After": "0"})

    shop.route("/p", limited)
    await started(shop)
    async with SafeFetcher(make_settings()) as fetcher:
        assert (await fetcher.fetch_page(shop.url("/p"))).status == 200
    assert shop.hits == {"/p": 2}


async def test_429_with_a_long_retry_after_goes_back_to_the_queue(shop: Shop) -> None:
    """A Retry-After beyond the cap is not slept on: it is raised at once with the hint attached."""
    shop.route("/p", html(status=429, **{"Retry-After": "3600"}))
    await started(shop)
    async with SafeFetcher(make_settings(max_retry_after=5)) as fetcher:
        with pytest.raises(RateLimitedError) as caught:
            await fetcher.fetch_page(shop.url("/p"))
    assert caught.value.retry_after == 3600 and shop.hits == {"/p": 1}


async def test_slow_answer_times_out_and_is_retried(shop: Shop) -> None:
    """A server that never answers within the total timeout gives a transient timeout, after retries."""

    async def stall(_: web.Request) -> web.StreamResponse:
        await asyncio.sleep(10)
        return web.Response(text=PAGE, content_type="text/html")

    shop.route("/p", stall)
    await started(shop)
    async with SafeFetcher(make_settings(total_timeout=0.3, retry_attempts=2)) as fetcher:
        with pytest.raises(FetchTimeoutError):
            await fetcher.fetch_page(shop.url("/p"))
    assert shop.hits == {"/p": 2}


async def test_body_that_stalls_times_out(shop: Shop) -> None:
    """Headers arriving on time do not help a body that stops half-way: the total timeout covers it."""

    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        await response.write(b"<html><body>")
        await asyncio.sleep(10)
        return response

    shop.route("/p", trickle)
    await started(shop)
    async with SafeFetcher(make_settings(total_timeout=0.3, retry_attempts=1)) as fetcher:
        with pytest.raises(FetchTimeoutError):
            await fetcher.fetch_page(shop.url("/p"))


async def test_connection_reset_is_transient(shop: Shop) -> None:
    """A server that drops the connection gives a transient connection error after retries."""

    async def hang_up(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    shop.route("/p", hang_up)
    await started(shop)
    async with SafeFetcher(make_settings(retry_attempts=2)) as fetcher:
        with pytest.raises(FetchConnectionError):
            await fetcher.fetch_page(shop.url("/p"))
    assert shop.hits["/p"] >= 2  # our retry (aiohttp may also retry a dropped keep-alive once)


async def test_nothing_listening_is_transient() -> None:
    """A refused connection (shop down) is a transient error, not a permanent one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with SafeFetcher(make_settings(retry_attempts=1)) as fetcher:
        with pytest.raises(FetchConnectionError):
            await fetcher.fetch_page(f"http://127.0.0.1:{port}/")


async def test_unknown_name_fails_at_once() -> None:
    """A shop name that does not exist in DNS is permanent: no retries, a reason about typos."""
    async with SafeFetcher(make_settings(allow_networks=""), resolver=FakeDns({})) as fetcher:
        with pytest.raises(HostNotFoundError, match="typos"):
            await fetcher.fetch_page("https://no-such-shop.example/p")
