"""The address policy and resolver guard, without any network."""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from services.common.errors import PermanentError
from services.common.fetching.address_policy import AddressPolicy, is_public_address
from services.common.fetching.fetch_errors import (
    BlockedAddressError,
    BlockedPortError,
    HostNotFoundError,
    UnsupportedUrlError,
)
from services.common.fetching.fetch_settings import FetchSettings
from services.common.fetching.guarded_resolver import GuardedResolver
from services.common.fetching.host_names import parse_host
from tests.unit.common.fetching.attack_urls import ATTACK_URLS, DNS_ATTACKS, PUBLIC_URLS


class FakeDns(AbstractResolver):
    """Answers from a table, like the system resolver would; counts lookups."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.lookups.append(host)
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in self.answers[host]
        ]

    async def close(self) -> None:
        pass


@pytest.fixture(autouse=True)
def _closed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests prove the defaults: an operator's FETCH_* (or legacy SCRAPER_*) variables must not leak in."""
    for name in list(os.environ):
        if name.startswith(("FETCH_", "SCRAPER_")):
            monkeypatch.delenv(name)


@pytest.fixture
def policy() -> AddressPolicy:
    return AddressPolicy(FetchSettings(allow_networks=(), allowed_ports=(80, 443)))


@pytest.mark.parametrize(("url", "attack"), ATTACK_URLS, ids=[a for _, a in ATTACK_URLS])
def test_attack_url_is_refused(policy: AddressPolicy, url: str, attack: str) -> None:
    """Every URL in the attack table is refused before any DNS lookup, as a permanent error."""
    with pytest.raises((BlockedAddressError, UnsupportedUrlError)) as caught:
        policy.check_url(url)
    assert isinstance(caught.value, PermanentError)
    assert caught.value.reason and "Traceback" not in caught.value.reason


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_urls_pass(policy: AddressPolicy, url: str) -> None:
    """Ordinary shop URLs on public names and addresses pass the URL check."""
    assert policy.check_url(url).scheme in ("http", "https")


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("1.16777215", "1.255.255.255"),
        ("134744072", "8.8.8.8"),
        ("Shop.Example.COM.", "shop.example.com"),
        ("ex%61mple.com", "example.com"),
    ],
)
def test_hosts_are_read_like_a_browser(raw: str, canonical: str) -> None:
    """Legacy IPv4 spellings and percent-encoding are normalised to what they really mean."""
    assert parse_host(raw).name == canonical


@pytest.mark.parametrize(
    "raw", ["1.2.3.4.5", "256.1.1.1", "1.16777216", "09.1.1.1", "a..b", "foo.0x", "a b.com"]
)
def test_malformed_hosts_are_refused(raw: str) -> None:
    """Hosts that a browser would refuse as invalid are refused, not guessed at."""
    with pytest.raises(UnsupportedUrlError):
        parse_host(raw)


def test_odd_spelling_of_a_public_address_is_rewritten(policy: AddressPolicy) -> None:
    """A public IPv4 in integer form is allowed, and the request goes to its canonical form."""
    assert str(policy.check_url("http://134744072/x")) == "http://8.8.8.8/x"


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "2a00:1450:4001:80b::200e"],
)
def test_public_addresses_are_public(address: str) -> None:
    """Globally routable unicast addresses pass."""
    assert is_public_address(ipaddress.ip_address(address))


def test_allow_list_adds_exactly_its_networks() -> None:
    """FETCH_ALLOW_NETWORKS=127.0.0.1/32 opens 127.0.0.1 on any port and nothing next to it."""
    policy = AddressPolicy(FetchSettings(allow_networks=(ipaddress.ip_network("127.0.0.1/32"),)))
    assert str(policy.check_url("http://127.0.0.1:54321/p")) == "http://127.0.0.1:54321/p"
    for url in ("http://127.0.0.2/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://10.0.0.1/"):
        with pytest.raises(BlockedAddressError):
            policy.check_url(url)
    with pytest.raises(BlockedPortError):
        policy.check_address(ipaddress.ip_address("8.8.8.8"), 8080)


def test_allow_list_is_read_from_fetch_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Comma-separated CIDRs and ports come from FETCH_* variables; defaults are closed."""
    assert FetchSettings().allow_networks == ()
    monkeypatch.setenv("FETCH_ALLOW_NETWORKS", "127.0.0.1/32, ::1/128")
    monkeypatch.setenv("FETCH_ALLOWED_PORTS", "80,443,8080")
    settings = FetchSettings()
    assert [str(n) for n in settings.allow_networks] == ["127.0.0.1/32", "::1/128"]
    assert settings.allowed_ports == (80, 443, 8080)


def test_fetch_variables_win_over_the_legacy_scraper_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """With both FETCH_MAX_REDIRECTS and SCRAPER_MAX_REDIRECTS set, the FETCH_ one is used."""
    monkeypatch.setenv("SCRAPER_MAX_REDIRECTS", "2")
    assert FetchSettings().max_redirects == 2
    monkeypatch.setenv("FETCH_MAX_REDIRECTS", "7")
    assert FetchSettings().max_redirects == 7


def test_allow_list_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Comma-separated CIDRs and ports still come from the legacy SCRAPER_* names; defaults are closed."""
    assert FetchSettings().allow_networks == ()
    monkeypatch.setenv("SCRAPER_ALLOW_NETWORKS", "127.0.0.1/32, ::1/128")
    monkeypatch.setenv("SCRAPER_ALLOWED_PORTS", "80,443,8080")
    settings = FetchSettings()
    assert [str(n) for n in settings.allow_networks] == ["127.0.0.1/32", "::1/128"]
    assert settings.allowed_ports == (80, 443, 8080)


@pytest.mark.parametrize("prefix", ["FETCH_", "SCRAPER_"])
def test_allow_list_rejects_host_bits(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    """A CIDR with host bits set ("127.0.0.1/8") is a typo and fails at start-up, not silently widened."""
    monkeypatch.setenv(f"{prefix}ALLOW_NETWORKS", "127.0.0.1/8")
    with pytest.raises(ValueError):
        FetchSettings()


@pytest.mark.parametrize(("host", "answer", "attack"), DNS_ATTACKS, ids=[a for *_, a in DNS_ATTACKS])
async def test_dns_answer_into_internal_networks_is_refused(
    host: str, answer: list[str], attack: str
) -> None:
    """The guard refuses a DNS answer if any address in it is internal, even mixed with public ones."""
    guard = GuardedResolver(AddressPolicy(FetchSettings()), FakeDns({host: answer}))
    with pytest.raises(BlockedAddressError):
        await guard.resolve(host, 443, socket.AF_UNSPEC)


async def test_public_dns_answer_is_passed_through_unchanged() -> None:
    """An all-public answer reaches the connector exactly as resolved, so it connects to what we checked."""
    answer = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
    guard = GuardedResolver(AddressPolicy(FetchSettings()), FakeDns({"shop.example.com": answer}))
    results = await guard.resolve("shop.example.com", 443, socket.AF_UNSPEC)
    assert [r["host"] for r in results] == answer


async def test_public_dns_answer_on_a_closed_port_is_refused() -> None:
    """The port rule applies to resolved names too: a public address on port 25 is refused."""
    guard = GuardedResolver(AddressPolicy(FetchSettings()), FakeDns({"shop.example.com": ["93.184.215.14"]}))
    with pytest.raises(BlockedPortError):
        await guard.resolve("shop.example.com", 25, socket.AF_UNSPEC)


async def test_unknown_name_is_a_permanent_error() -> None:
    """A name that does not exist fails the job at once with a message about typos."""
    guard = GuardedResolver(AddressPolicy(FetchSettings()), FakeDns({}))
    with pytest.raises(HostNotFoundError, match="does not exist"):
        await guard.resolve("no-such-shop.example", 443, socket.AF_UNSPEC)
