"""scripts/deploy: the API key script stores only a hash the API accepts; the shell scripts parse."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from types import ModuleType
from typing import Any

import pytest

from services.api.auth import ApiKeyRing
from tests.infra.hcl import REPO_ROOT

DEPLOY = REPO_ROOT / "scripts" / "deploy"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DEPLOY / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeSsm:
    """One SecureString parameter with its KMS key, as boto3's SSM client shows it."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.puts: list[dict[str, Any]] = []

    def describe_parameters(self, **_: Any) -> dict[str, Any]:
        return {"Parameters": [{"Name": "/p/api-keys", "KeyId": "arn:aws:kms:eu-west-1:1:key/k"}]}

    def get_parameter(self, **_: Any) -> dict[str, Any]:
        return {"Parameter": {"Value": self.value}}

    def put_parameter(self, **kwargs: Any) -> None:
        self.puts.append(kwargs)
        self.value = kwargs["Value"]


def test_a_new_key_replaces_terraforms_placeholder_and_only_its_hash_is_stored() -> None:
    """On the placeholder, the parameter becomes a one-entry list the API's key ring accepts;
    the key itself is not in the stored value, and the parameter's KMS key is kept."""
    script = _script("create_api_key")
    ssm = FakeSsm(script.PLACEHOLDER)
    key = script.store_key(ssm, "/p/api-keys", "acme")
    (put,) = ssm.puts
    assert key not in put["Value"] and put["Type"] == "SecureString" and put["Overwrite"] is True
    assert put["KeyId"] == "arn:aws:kms:eu-west-1:1:key/k"
    assert ApiKeyRing.from_json(put["Value"]).tenant_for(key) == "acme"


def test_existing_keys_are_kept_and_a_bad_tenant_is_refused() -> None:
    """A second key for another tenant keeps the first; a tenant the API would refuse is refused."""
    script = _script("create_api_key")
    ssm = FakeSsm("[]")
    first = script.store_key(ssm, "/p/api-keys", "acme")
    second = script.store_key(ssm, "/p/api-keys", "globex")
    ring = ApiKeyRing.from_json(ssm.value)
    assert (ring.tenant_for(first), ring.tenant_for(second)) == ("acme", "globex")
    assert len(json.loads(ssm.value)) == 2
    with pytest.raises(ValueError):
        script.add_key("[]", "no spaces allowed", "k")


def test_the_placeholder_is_the_one_terraform_writes() -> None:
    """One placeholder string: Terraform's, the renderer's refusal and this script's."""
    from services.renderer.generation.factory import UNSET_PARAMETER_VALUE

    assert _script("create_api_key").PLACEHOLDER == UNSET_PARAMETER_VALUE
    assert f'value = "{UNSET_PARAMETER_VALUE}"' in (REPO_ROOT / "infra" / "terraform" / "storage.tf").read_text()


@pytest.mark.parametrize("script", ["create_state_bucket.sh", "build_and_push.sh"])
def test_shell_scripts_parse_and_fail_fast(script: str) -> None:
    """bash -n accepts them; they stop on the first error (set -euo pipefail)."""
    path = DEPLOY / script
    assert subprocess.run(["bash", "-n", str(path)], capture_output=True, timeout=30).returncode == 0
    assert "set -euo pipefail" in path.read_text(encoding="utf-8")


def test_smoke_test_script_imports_and_needs_a_key() -> None:
    """The smoke test refuses to start without PRODUCTSHOT_API_KEY (exit 2 from argparse)."""
    done = subprocess.run(
        [
            str(REPO_ROOT / ".venv" / "bin" / "python"),
            str(DEPLOY / "smoke_test.py"),
            "--api-url",
            "https://x",
            "--bus",
            "b",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2 and "PRODUCTSHOT_API_KEY" in done.stderr
