"""The limits and policy of the safe fetcher, read from ``FETCH_*`` variables.

Built once by each entry point that fetches strangers' URLs (the scraper, and the API for
``product.imageUrl``) and passed to ``SafeFetcher``; see docs/fetching.md for what each
value means and why its default is what it is.

The fetcher used to live in the scraper and read ``SCRAPER_*``. Deployments that still set
those names keep working: each setting is read from ``FETCH_<NAME>``, else from
``SCRAPER_<NAME>``; when both are set, ``FETCH_<NAME>`` wins.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from pydantic import AliasChoices, AliasGenerator, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["ENV_PREFIX", "LEGACY_ENV_PREFIX", "FetchSettings", "IPNetwork"]

ENV_PREFIX = "FETCH_"
#: Read when ``FETCH_<NAME>`` is not set, so older deployments keep their limits.
LEGACY_ENV_PREFIX = "SCRAPER_"

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_MIB = 1024 * 1024


def _env_names(field: str) -> AliasChoices:
    """The variables one setting is read from, the first one set winning."""
    return AliasChoices(f"{ENV_PREFIX}{field.upper()}", f"{LEGACY_ENV_PREFIX}{field.upper()}")


def _split_csv(value: Any) -> Any:
    """Accept ``"80,443"`` from the environment as well as real lists from code."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class FetchSettings(BaseSettings):
    """Everything that bounds one fetch: addresses, ports, time, size, retries."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="ignore",
        frozen=True,
        alias_generator=AliasGenerator(validation_alias=_env_names),
        # Code builds it by field name (``FetchSettings(max_redirects=2)``), the environment by alias.
        populate_by_name=True,
    )

    user_agent: str = "Mozilla/5.0 (compatible; ProductshotBot/0.1)"
    accept_language: str = "en;q=0.9, *;q=0.5"
    #: Ports any public address may use. Addresses inside ``allow_networks`` may use any port.
    allowed_ports: Annotated[tuple[int, ...], NoDecode] = (80, 443)
    #: Extra networks we may contact although they are not public (tests: 127.0.0.1/32).
    allow_networks: Annotated[tuple[IPNetwork, ...], NoDecode] = ()
    connect_timeout: float = Field(default=5.0, gt=0)
    #: Bound on one attempt: every redirect hop plus reading the body.
    total_timeout: float = Field(default=20.0, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=20)
    #: Cap on the page body, applied to the bytes on the wire and again after decompression.
    max_page_bytes: int = Field(default=10 * _MIB, ge=1024)
    max_image_bytes: int = Field(default=15 * _MIB, ge=1024)
    max_image_pixels: int = Field(default=40_000_000, ge=1)
    #: Attempts inside the fetcher for transient failures (1 means no retry).
    retry_attempts: int = Field(default=3, ge=1, le=10)
    retry_base_delay: float = Field(default=0.5, ge=0)
    retry_max_delay: float = Field(default=8.0, ge=0)
    #: A Retry-After longer than this is not waited for here: the queue retries later.
    max_retry_after: float = Field(default=10.0, ge=0)

    @field_validator("allowed_ports", mode="before")
    @classmethod
    def _parse_ports(cls, value: Any) -> Any:
        ports = _split_csv(value)
        for port in ports:
            if not 1 <= int(port) <= 65535:
                raise ValueError(f"port {port} is outside 1-65535")
        return ports

    @field_validator("allow_networks", mode="before")
    @classmethod
    def _parse_networks(cls, value: Any) -> Any:
        # strict=True: "127.0.0.1/8" is a typo for a network, refuse it rather than guess.
        return tuple(ipaddress.ip_network(str(item), strict=True) for item in _split_csv(value))
