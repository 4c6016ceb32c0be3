"""API keys: stored as SHA-256 hashes (SSM or configuration), each naming its tenant.

A presented key is hashed and compared with every stored hash in constant time, so
neither the answer nor its timing says how close a guess was. Each key has an id (to
name it in logs and when revoking it), an optional expiry, a revoked flag and optional
limits of its own. The tenant names ``default`` and ``_anonymous`` are reserved: no key
may hold them, so no key can ever see the jobs of keyless (local) callers.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from services.common.tenants import ANONYMOUS_TENANT, RESERVED_TENANTS, check_key_tenant

__all__ = [
    "ANONYMOUS_TENANT",
    "RESERVED_TENANTS",
    "ApiKey",
    "ApiKeyRing",
    "Caller",
    "InvalidKeyConfigError",
    "KeyLimits",
    "hash_key",
    "parse_bearer",
]

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class InvalidKeyConfigError(ValueError):
    """The configured key list cannot be read: refuse to start rather than run open or closed by accident."""


class KeyLimits(BaseModel):
    """A key's own limits; a missing one is the API's default (settings.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    requestsPerSecond: float | None = Field(default=None, gt=0)
    jobsPerDay: int | None = Field(default=None, ge=1)
    jobsInFlight: int | None = Field(default=None, ge=1)


class _KeyEntry(BaseModel):
    """One entry of the SSM JSON list; ``{tenant, sha256}`` alone (the first form) still reads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tenant: str
    sha256: str
    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._:-]{1,64}$")
    expiresAt: AwareDatetime | None = None
    revoked: bool = False
    limits: KeyLimits = KeyLimits()


_ENTRIES = TypeAdapter(list[_KeyEntry])


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    tenant: str
    digest: bytes = field(repr=False)
    expires_at: datetime | None = None
    revoked: bool = False
    limits: KeyLimits = KeyLimits()

    def refusal(self, now: datetime) -> str | None:
        """Why this key may not be used at ``now`` (a sentence for the caller), or None."""
        if self.revoked:
            return f"The API key {self.id} has been revoked; use a current key."
        if self.expires_at is not None and now >= self.expires_at:
            return f"The API key {self.id} expired at {self.expires_at.isoformat()}; use a current key."
        return None


@dataclass(frozen=True, slots=True)
class Caller:
    tenant: str
    #: What the rate limiter counts against: the key's id, or the client address when anonymous.
    bucket: str
    authenticated: bool
    limits: KeyLimits = KeyLimits()


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


def _checked(entry: _KeyEntry) -> ApiKey:
    digest = entry.sha256.lower()
    if not _HEX64.match(digest):
        raise InvalidKeyConfigError(f"bad API key entry for tenant {entry.tenant!r}: need tenant:sha256hex")
    try:
        check_key_tenant(entry.tenant)
    except ValueError as exc:
        raise InvalidKeyConfigError(f"bad API key entry: {exc}") from exc
    return ApiKey(
        id=entry.id or f"sha256:{digest[:12]}",  # entries without an id: named by their hash's prefix
        tenant=entry.tenant,
        digest=bytes.fromhex(digest),
        expires_at=entry.expiresAt,
        revoked=entry.revoked,
        limits=entry.limits,
    )


class ApiKeyRing:
    """The accepted keys; ``disabled`` accepts everyone as the anonymous tenant."""

    def __init__(self, entries: list[tuple[str, str]] | list[ApiKey], *, disabled: bool = False) -> None:
        keys = [e if isinstance(e, ApiKey) else _checked(_KeyEntry(tenant=e[0], sha256=e[1])) for e in entries]
        ids = [key.id for key in keys]
        if len(set(ids)) != len(ids):
            raise InvalidKeyConfigError("two API keys share an id")
        self._entries = keys
        self.disabled = disabled

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, key: str) -> ApiKey | None:
        """The stored key ``key`` matches (revoked and expired ones too: the caller says why)."""
        presented = hashlib.sha256(key.encode()).digest()
        found: ApiKey | None = None
        for stored in self._entries:  # no early exit: the same work for every key
            if hmac.compare_digest(presented, stored.digest):
                found = stored
        return found

    def tenant_for(self, key: str, now: datetime | None = None) -> str | None:
        """The tenant of a usable key; None for an unknown, revoked or expired one."""
        found = self.lookup(key)
        if found is None or found.refusal(now or datetime.now(UTC)) is not None:
            return None
        return found.tenant

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
        """The SSM parameter: a JSON list of ``{"tenant", "sha256"[, "id", "expiresAt", "revoked", "limits"]}``."""
        try:
            entries = _ENTRIES.validate_json(value)
        except ValidationError as exc:
            raise InvalidKeyConfigError(
                "the API key parameter is not a JSON list of {tenant, sha256, id?, expiresAt?, revoked?, limits?}"
            ) from exc
        return cls([_checked(entry) for entry in entries])
