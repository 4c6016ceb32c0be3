"""Create an API key for a tenant: print the key once, store only its SHA-256 in SSM.

    python scripts/deploy/create_api_key.py --parameter /acme-prod-productshot/api-keys --tenant acme

The parameter is the deployment's api-keys SecureString (``terraform output
ssm_parameter_names``); the key list there is JSON, ``[{"tenant": ..., "sha256": ...}]``,
the form the API reads (services/api/auth.py). Existing keys are kept (several keys per
tenant allow a rotation); Terraform's placeholder counts as no keys. The value is written
back with the parameter's own KMS key. The API reads the list at start-up: the script
prints the command that restarts its tasks. Needs boto3 and credentials that may
GetParameter/PutParameter on that parameter and use its key through SSM.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.api.auth import ApiKeyRing, hash_key  # noqa: E402 - the repository root is added above

#: What Terraform writes into the parameters it creates (infra/terraform/storage.tf).
PLACEHOLDER = "set-me-out-of-band"


def new_key() -> str:
    """A random key: 32 bytes, URL-safe (43 characters), prefixed so it is recognisable in a leak scan."""
    return "ps_" + secrets.token_urlsafe(32)


def add_key(current: str | None, tenant: str, key: str) -> str:
    """The parameter's new value: the current entries plus ``tenant``'s hash of ``key``."""
    entries: list[dict[str, str]] = []
    if current is not None and current.strip() not in ("", PLACEHOLDER):
        entries = json.loads(current)
    entries.append({"tenant": tenant, "sha256": hash_key(key)})
    value = json.dumps(entries, separators=(",", ":"))
    ApiKeyRing.from_json(value)  # refuses a tenant name or entry the API would refuse
    return value


def store_key(ssm: Any, parameter: str, tenant: str) -> str:
    """Add a new key for ``tenant`` to ``parameter``; returns the key (never stored)."""
    described = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [parameter]}])["Parameters"]
    if not described:
        raise SystemExit(f"parameter {parameter} does not exist: apply the Terraform first")
    current = ssm.get_parameter(Name=parameter, WithDecryption=True)["Parameter"]["Value"]
    key = new_key()
    ssm.put_parameter(
        Name=parameter,
        Value=add_key(current, tenant, key),
        Type="SecureString",
        KeyId=described[0]["KeyId"],
        Overwrite=True,
    )
    return key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--parameter", required=True, help="the api-keys SecureString (terraform output)")
    parser.add_argument("--tenant", required=True, help="tenant the key acts for")
    parser.add_argument("--region", default=None, help="AWS region (default: the SDK's)")
    args = parser.parse_args(argv)
    import boto3

    key = store_key(boto3.client("ssm", region_name=args.region), args.parameter, args.tenant)
    print(f"API key for tenant {args.tenant} (shown once, only its hash is stored):\n{key}")
    print(
        "The API reads its keys at start-up; restart its tasks:\n"
        "  aws ecs update-service --cluster <cluster_name> --service <service_names.api> --force-new-deployment",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
