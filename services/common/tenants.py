"""Tenant names: the pattern a key's tenant must match, and the names no key may hold.

Shared by the API's key ring and the tools that write keys (infra/bootstrap.py,
scripts/deploy/create_api_key.py), so a reserved name is refused wherever a key is made.
"""

from __future__ import annotations

import re

__all__ = ["ANONYMOUS_TENANT", "RESERVED_TENANTS", "check_key_tenant", "split_key_arg"]

_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: Keyless callers (local runs only): a name the key tenant pattern itself cannot produce.
ANONYMOUS_TENANT = "_anonymous"
#: ``default`` held every keyless job before; a key for it would list them all.
RESERVED_TENANTS = frozenset({"default", ANONYMOUS_TENANT})


def check_key_tenant(name: str) -> str:
    """``name`` when a key may act for it; else ValueError saying why."""
    if not _TENANT.match(name):
        raise ValueError(f"tenant {name!r} must be 1-64 of [A-Za-z0-9._-], starting with a letter or digit")
    if name.lower() in RESERVED_TENANTS:
        raise ValueError(f"tenant name {name!r} is reserved: no key may be issued for it")
    return name


def split_key_arg(entry: str) -> tuple[str, str]:
    """``TENANT:KEY`` (a key tool's argument) as (tenant, key); ValueError for a reserved or bad tenant."""
    tenant, _, key = entry.partition(":")
    if not key:
        raise ValueError(f"{tenant!r}: need TENANT:KEY")
    return check_key_tenant(tenant), key
