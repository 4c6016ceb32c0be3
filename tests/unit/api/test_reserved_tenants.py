"""The reserved tenant names: no key may be issued for ``default`` or the anonymous tenant,
and keyless (local) callers are a tenant of their own that no key can see."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from infra import bootstrap
from services.api.app import create_app
from services.api.auth import ApiKeyRing, InvalidKeyConfigError, hash_key
from services.common.settings import CommonSettings
from tests.infra.test_deploy_scripts import _script as load_script
from tests.unit.api.fakes import fake_state


@pytest.mark.parametrize("tenant", ["default", "Default", "_anonymous"])
def test_the_key_ring_refuses_a_key_for_a_reserved_tenant(tenant: str) -> None:
    """API_KEYS and the SSM JSON list with a reserved tenant stop the API from starting."""
    with pytest.raises(InvalidKeyConfigError):
        ApiKeyRing.from_config(f"{tenant}:{hash_key('k')}")
    with pytest.raises(InvalidKeyConfigError):
        ApiKeyRing.from_json(json.dumps([{"tenant": tenant, "sha256": hash_key("k")}]))


@pytest.mark.parametrize("tenant", ["default", "_anonymous"])
def test_the_key_tools_refuse_a_reserved_tenant(tenant: str) -> None:
    """bootstrap --api-key and create_api_key.py refuse to write a key for a reserved tenant."""
    with pytest.raises(SystemExit):  # argparse's usage error, before any AWS call
        bootstrap.main(["--api-key", f"{tenant}:some-key"])
    with pytest.raises(ValueError):
        load_script("create_api_key").add_key("[]", tenant, "some-key")


def test_keyless_jobs_are_the_anonymous_tenants_and_invisible_to_every_key() -> None:
    """With the seed open (local), a keyless job belongs to '_anonymous': no key lists or reads it."""
    state, store, _, _ = fake_state(seed_require_key=False)
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        resp = client.post("/generative-ai-images/generate", json={"productUrl": "https://shop.example.com/p/1"})
        job_id = resp.json()["jobId"]
        for key in ("acme-key", "globex-key"):
            auth = {"Authorization": f"Bearer {key}"}
            assert client.get("/v1/jobs", headers=auth).json()["items"] == []
            assert client.get(f"/v1/jobs/{job_id}", headers=auth).status_code == 404
    assert store.jobs[job_id].tenant == "_anonymous"
