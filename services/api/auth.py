"""API keys: stored as SHA-256 hashes (SSM or configuration), each naming its tenant.

A presented key is hashed and compared with every stored hash in constant time, so
neither the answer nor its timing says how close a guess was.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from services.common.errors import ParameterNotFoundError
from services.common.logging import get_logger
from services.common.parameters import Parameters

__all__ = ["ApiKeyRing", "Caller", "InvalidKeyConfigError", "hash_key", "load_key_ring", "parse_bearer"]

_log = get_logger(__name__)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_TENANT = "default"


class InvalidKeyConfigError(ValueError):
    """The configured key list cannot be read: refuse to start rather than run open or closed by accident."""


@dataclass(frozen=True, slots=True)
class Caller:
    tenant: str
    #: What the rate limiter counts against: the key's hash, or the client address when anonymous.
    bucket: str
    authenticated: bool


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_bearer(header: str | None) -> str | None:
    """The token of ``Authorization: Bearer <token>``; '' when the header is there but unusable."""
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return ""
    return token.strip()


class ApiKeyRing:
    """The accepted keys' hashes and tenants; ``disabled`` accepts everyone as tenant "default"."""

    def __init__(self, entries: list[tuple[str, str]], *, disabled: bool = False) -> None:
        for tenant, digest in entries:
            if not _TENANT.match(tenant) or not _HEX64.match(digest):
                raise InvalidKeyConfigError(f"bad API key entry for tenant {tenant!r}: need tenant:sha256hex")
        self._entries = [(tenant, bytes.fromhex(digest)) for tenant, digest in entries]
        self.disabled = disabled

    def __len__(self) -> int:
        return len(self._entries)

    def tenant_for(self, key: str) -> str | None:
        presented = hashlib.sha256(key.encode()).digest()
        found: str | None = None
        for tenant, digest in self._entries:  # no early exit: the same work for every key
            if hmac.compare_digest(presented, digest):
                found = tenant
        return found

    @classmethod
    def from_config(cls, value: str) -> ApiKeyRing:
        """``tenant:sha256hex,tenant2:sha256hex`` (the form API_KEYS takes)."""
        entries = []
        for part in value.split(","):
            if part.strip():
                tenant, _, digest = part.strip().partition(":")
                entries.append((tenant.strip(), digest.strip().lower()))
        return cls(entries)

    @classmethod
    def from_json(cls, value: str) -> ApiKeyRing:
        """The SSM parameter: a JSON list of ``{"tenant": ..., "sha256": ...}``."""
        try:
            data = json.loads(value)
            return cls([(str(e["tenant"]), str(e["sha256"]).lower()) for e in data])
        except (ValueError, TypeError, KeyError) as exc:
            raise InvalidKeyConfigError(
                "the API key parameter is not a JSON list of {tenant, sha256}"
            ) from exc


async def load_key_ring(*, disabled: bool, configured: str, parameters: Parameters, parameter: str) -> ApiKeyRing:
    """Keys from configuration when given, else from SSM; an absent parameter means no key works."""
    if disabled:
        _log.warning("api_auth_disabled", tenant=DEFAULT_TENANT)
        return ApiKeyRing([], disabled=True)
    if configured.strip():
        ring = ApiKeyRing.from_config(configured)
        _log.info("api_keys_loaded", source="config", count=len(ring))
        return ring
    try:
        value = await parameters.read_secret(parameter)
    except ParameterNotFoundError:
        _log.error("api_keys_missing", parameter=parameter, hint="every /v1 request will get 401")
        return ApiKeyRing([])
    ring = ApiKeyRing.from_json(value)
    _log.info("api_keys_loaded", source="ssm", parameter=parameter, count=len(ring))
    return ring
