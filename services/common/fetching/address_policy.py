"""Which URLs and addresses the fetcher may contact: public web servers, nothing else.

Strangers choose the URLs, so every one of them (and every redirect, and every address
DNS gives for a name) is checked here. An address passes when it is inside an explicitly
allowed network (``FETCH_ALLOW_NETWORKS``, any port), or when it is globally routable,
in none of the special ranges below, and the port is an allowed web port.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from yarl import URL

from services.common.fetching.fetch_errors import BlockedAddressError, BlockedPortError, UnsupportedUrlError
from services.common.fetching.fetch_settings import FetchSettings, IPNetwork
from services.common.fetching.host_names import IPAddress, parse_host

__all__ = ["AddressPolicy", "BLOCKED_NETWORKS", "is_public_address"]

# Explicit, on top of ``ipaddress``'s is_global: its tables differ between Python versions,
# and some ranges below are "global" to IANA yet still reach somewhere they must not.
BLOCKED_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        # IPv4
        "0.0.0.0/8",  # "this network", 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # carrier-grade NAT, often the VPC's neighbours
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local: 169.254.169.254 instance metadata, 169.254.170.2 ECS credentials
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation TEST-NET-1
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation TEST-NET-2
        "203.0.113.0/24",  # documentation TEST-NET-3
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255 broadcast
        # IPv6
        "::/96",  # unspecified, loopback and IPv4-compatible (::a.b.c.d)
        "::ffff:0:0/96",  # IPv4-mapped: ::ffff:127.0.0.1 is 127.0.0.1
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b::/96",  # NAT64: the gateway would connect to the embedded IPv4 for us
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, including Teredo 2001::/32 and benchmarking
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4: embeds an IPv4 address
        "3fff::/20",  # documentation (RFC 9637)
        "5f00::/16",  # SRv6 segment identifiers
        "fc00::/7",  # unique local (ULA)
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated, still routed in some networks)
        "ff00::/8",  # multicast
    )
)

# Names that are internal by definition; refused before any DNS lookup so that a resolver
# with search domains or a hosts file never gets the chance to answer for them.
_INTERNAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".intranet", ".lan", ".home.arpa")


def is_public_address(address: IPAddress) -> bool:
    """True for a globally routable unicast address in none of ``BLOCKED_NETWORKS``."""
    if any(address in network for network in BLOCKED_NETWORKS):
        return False
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified or address.is_link_local
    )


def _blocked(host: str) -> BlockedAddressError:
    return BlockedAddressError(
        f"The address {host} points inside a private or reserved network and is not allowed: "
        "use the shop's public product URL"
    )


class AddressPolicy:
    """Judges URLs before a request and addresses after DNS, with one set of rules."""

    def __init__(self, settings: FetchSettings) -> None:
        self._allowed_ports = frozenset(settings.allowed_ports)
        self._allow_networks = tuple(settings.allow_networks)

    def is_explicitly_allowed(self, address: IPAddress) -> bool:
        return any(address in network for network in self._allow_networks)

    def check_address(self, address: IPAddress, port: int, host: str | None = None) -> None:
        """Raise unless we may open a connection to ``address``:``port``."""
        if self.is_explicitly_allowed(address):
            return  # the operator named this network; tests run servers on random ports
        if not is_public_address(address):
            raise _blocked(host if host and host != str(address) else str(address))
        self._check_port(port)

    def check_addresses(self, addresses: Iterable[IPAddress], port: int, host: str) -> None:
        """Every address a name resolves to must pass, or none is used."""
        for address in addresses:
            self.check_address(address, port, host)

    def check_url(self, url: URL | str) -> URL:
        """Validate ``url`` and return it with its host in canonical form.

        Names are only judged by spelling here; their addresses are judged by the resolver
        (``GuardedResolver``), at connection time, on exactly what the socket will use.
        """
        url = url if isinstance(url, URL) else self._parse(url)
        if url.scheme not in ("http", "https"):
            raise UnsupportedUrlError(
                "Only web addresses starting with http:// or https:// can be fetched"
                + (f" (this one starts with {url.scheme}:)" if url.scheme else "")
            )
        if url.raw_user is not None or url.raw_password is not None:
            # A stranger's credentials have no business in our requests, and "user@host"
            # is the classic way to make a URL look like it goes somewhere else.
            raise UnsupportedUrlError("Product URLs with a user name or password in them are not supported")
        if url.raw_host is None:
            raise UnsupportedUrlError("The URL has no host name: check the product URL")
        host = parse_host(url.raw_host)
        port = url.port
        if port is None:
            raise UnsupportedUrlError("The URL has no usable port: check the product URL")
        if host.address is not None:
            self.check_address(host.address, port)
        else:
            self._check_name(host.name)
            if not self._allow_networks:
                self._check_port(port)  # nothing could excuse the port later: say so now
        if host.name != url.raw_host:
            url = url.with_host(host.name)
        return url

    @staticmethod
    def _parse(text: str) -> URL:
        text = text.strip()
        if "\\" in text or any(ord(char) < 0x20 or ord(char) == 0x7F for char in text):
            # Browsers read "\" as "/" in http URLs and strip tabs and newlines; yarl does not.
            # Rather than two parsers disagreeing about the host, refuse the ambiguity.
            raise UnsupportedUrlError("The URL contains characters a web address cannot have")
        try:
            return URL(text)
        except (ValueError, TypeError) as exc:
            raise UnsupportedUrlError(
                f"{text[:200]!r} is not a valid web address: check the product URL"
            ) from exc

    def _check_name(self, name: str) -> None:
        if name == "localhost" or name.endswith(_INTERNAL_SUFFIXES) or "." not in name:
            # A single-label name ("metadata", "intranet") only resolves through our own
            # search domains: it can only ever mean an internal host.
            raise BlockedAddressError(
                f"The name {name} only exists inside private networks and is not allowed: "
                "use the shop's public product URL"
            )

    def _check_port(self, port: int) -> None:
        if port not in self._allowed_ports:
            allowed = ", ".join(str(p) for p in sorted(self._allowed_ports))
            raise BlockedPortError(
                f"Port {port} is not allowed for product pages: only ports {allowed} are used"
            )
