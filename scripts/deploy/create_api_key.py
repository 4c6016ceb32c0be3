"""Create an API key for a tenant (print the key once, store only its SHA-256 in SSM), or revoke one.

    python scripts/deploy/create_api_key.py --parameter /p/api-keys --tenant acme [--expires-in-days N]
    python scripts/deploy/create_api_key.py --parameter /p/api-keys --revoke acme-1a2b3c4d

The parameter is the deployment's api-keys SecureString (``terraform output
ssm_parameter_names``); the key list there is JSON, ``[{"id", "tenant", "sha256",
"expiresAt"?, "revoked"?, "limits"?}]``, the form the API reads (services/api/auth.py).
Existing keys are kept (several keys per tenant allow a rotation); Terraform's placeholder
counts as no keys; the reserved tenant names are refused. The value is written back with
the parameter's own KMS key. Every API task reads the list again within
API_KEYS_REFRESH_SECONDS (30 s by default): no restart. Needs boto3 and credentials that may
GetParameter/PutParameter on that parameter and use its key through SSM.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.api.auth import ApiKeyRing, hash_key  # noqa: E402 - the repository root is added above

#: What Terraform writes into the parameters it creates (infra/terraform/storage.tf).
PLACEHOLDER = "set-me-out-of-band"


def new_key() -> str:
    """A random key: 32 bytes, URL-safe (43 characters), prefixed so it is recognisable in a leak scan."""
    return "ps_" + secrets.token_urlsafe(32)


def _entries(current: str | None) -> list[dict[str, Any]]:
    if current is None or current.strip() in ("", PLACEHOLDER):
        return []
    entries: list[dict[str, Any]] = json.loads(current)
    return entries


def _checked(entries: list[dict[str, Any]]) -> str:
    value = json.dumps(entries, separators=(",", ":"))
    ApiKeyRing.from_json(value)  # refuses a tenant name or entry the API would refuse
    return value


def add_key(current: str | None, tenant: str, key: str, *, expires_at: datetime | None = None) -> str:
    """The parameter's new value: the current entries plus ``tenant``'s hash of ``key`` under a new id."""
    entries = _entries(current)
    digest = hash_key(key)
    entry: dict[str, Any] = {"id": f"{tenant}-{digest[:8]}", "tenant": tenant, "sha256": digest}
    if expires_at is not None:
        entry["expiresAt"] = expires_at.isoformat()
    entries.append(entry)
    return _checked(entries)


def revoke_key(current: str | None, key_id: str) -> str:
    """The parameter's new value with the key ``key_id`` (its id, or ``sha256:<12 hex>``) revoked."""
    entries = _entries(current)
    found = [e for e in entries if e.get("id", f"sha256:{str(e['sha256']).lower()[:12]}") == key_id]
    if not found:
        raise SystemExit(f"no key with id {key_id!r} in the parameter")
    for entry in found:
        entry["id"], entry["revoked"] = key_id, True
    return _checked(entries)


def _write(ssm: Any, parameter: str, change: Any) -> None:
    described = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [parameter]}])["Parameters"]
    if not described:
        raise SystemExit(f"parameter {parameter} does not exist: apply the Terraform first")
    current = ssm.get_parameter(Name=parameter, WithDecryption=True)["Parameter"]["Value"]
    ssm.put_parameter(
        Name=parameter, Value=change(current), Type="SecureString", KeyId=described[0]["KeyId"], Overwrite=True
    )


def store_key(ssm: Any, parameter: str, tenant: str, *, expires_at: datetime | None = None) -> str:
    """Add a new key for ``tenant`` to ``parameter``; returns the key (never stored)."""
    key = new_key()
    _write(ssm, parameter, lambda current: add_key(current, tenant, key, expires_at=expires_at))
    return key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--parameter", required=True, help="the api-keys SecureString (terraform output)")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--tenant", help="tenant the new key acts for")
    action.add_argument("--revoke", metavar="KEY_ID", help="revoke the key with this id")
    parser.add_argument("--expires-in-days", type=int, default=None, help="the new key stops working after this")
    parser.add_argument("--region", default=None, help="AWS region (default: the SDK's)")
    args = parser.parse_args(argv)
    import boto3

    ssm = boto3.client("ssm", region_name=args.region)
    if args.revoke:
        _write(ssm, args.parameter, lambda current: revoke_key(current, args.revoke))
        print(f"API key {args.revoke} revoked; every API task refuses it within API_KEYS_REFRESH_SECONDS.")
        return 0
    expires = datetime.now(UTC) + timedelta(days=args.expires_in_days) if args.expires_in_days else None
    key = store_key(ssm, args.parameter, args.tenant, expires_at=expires)
    print(f"API key {args.tenant}-{hash_key(key)[:8]} for tenant {args.tenant} (shown once, only its hash is stored):")
    print(key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
