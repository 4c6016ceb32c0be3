"""An aiohttp resolver that only hands the connector addresses the policy accepted.

Checking a name's addresses and then letting the HTTP client look the name up again is
a DNS-rebinding hole: the second answer can differ. Here the check happens *inside* the
resolver the connector uses, so the socket connects to exactly the addresses we checked,
while TLS SNI and the Host header still carry the name.
"""

from __future__ import annotations

import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from services.common.fetching.address_policy import AddressPolicy
from services.common.fetching.fetch_errors import BlockedAddressError, HostNotFoundError

__all__ = ["GuardedResolver"]

# getaddrinfo answers that mean "this name does not exist", as opposed to "DNS is down".
_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


class GuardedResolver(AbstractResolver):
    """Wraps a real resolver; refuses the whole answer if any address in it is refused.

    Refusing the whole answer, rather than dropping the bad addresses, is deliberate: a
    name that mixes public and private addresses is a rebinding attempt or a misconfigured
    shop, and either way we should not be the ones to find out which address wins.
    """

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None) -> None:
        self._policy = policy
        self._inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if self._inner is None:
            self._inner = ThreadedResolver()  # needs the running loop, so created lazily
        try:
            results = await self._inner.resolve(host, port, family)
        except socket.gaierror as exc:
            if exc.errno in _NO_SUCH_NAME:
                raise HostNotFoundError(
                    f"The shop address {host} does not exist: check the product URL for typos"
                ) from exc
            raise  # aiohttp turns other OSErrors into a (transient) connection error
        if not results:
            raise HostNotFoundError(f"The shop address {host} has no IP address: check the product URL")
        addresses = []
        for result in results:
            try:
                addresses.append(ipaddress.ip_address(result["host"]))
            except ValueError as exc:  # a scoped IPv6 "fe80::1%eth0" or something stranger
                raise BlockedAddressError(
                    f"The address {host} resolves to {result['host']}, which is not allowed"
                ) from exc
        self._policy.check_addresses(addresses, port, host)
        return results

    async def close(self) -> None:
        if self._inner is not None:
            await self._inner.close()
