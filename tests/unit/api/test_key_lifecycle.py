"""Key ids, expiry and revocation, and the background reload that puts them in force without a restart."""

from __future__ import annotations

import asyncio
import json
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from services.api.app import create_app, start_key_refresh
from services.api.auth import ApiKeyRing, hash_key
from services.api.key_ring_source import KeyRingRefresher
from services.api.settings import ApiSettings
from services.common.settings import CommonSettings
from tests.fakes import InMemoryParameters
from tests.infra.test_deploy_scripts import _script
from tests.unit.api.fakes import fake_state

PARAM = "/productshot/api-keys"
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _ring(*entries: dict[str, object]) -> ApiKeyRing:
    return ApiKeyRing.from_json(json.dumps(list(entries)))


def test_old_entries_still_read_and_get_an_id_from_their_hash() -> None:
    """A {tenant, sha256} entry (the first form) reads, named sha256:<12 hex>; new fields read too."""
    digest = hash_key("a")
    ring = _ring(
        {"tenant": "acme", "sha256": digest},
        {"id": "globex-1", "tenant": "globex", "sha256": hash_key("g"), "expiresAt": "2027-01-01T00:00:00Z",
         "revoked": False, "limits": {"jobsPerDay": 100, "jobsInFlight": 5, "requestsPerSecond": 2}},
    )
    old, new = ring.lookup("a"), ring.lookup("g")
    assert old is not None and old.id == f"sha256:{digest[:12]}" and old.expires_at is None
    assert new is not None and new.id == "globex-1" and new.limits.jobsPerDay == 100
    assert new.expires_at == datetime(2027, 1, 1, tzinfo=UTC)


def test_an_expired_or_revoked_key_is_refused_with_its_reason() -> None:
    """Past expiresAt, or revoked: the key is found but refused, with a sentence naming its id and why."""
    ring = _ring(
        {"id": "old", "tenant": "acme", "sha256": hash_key("old"), "expiresAt": "2026-12-01T00:00:00Z"},
        {"id": "gone", "tenant": "acme", "sha256": hash_key("gone"), "revoked": True},
        {"id": "good", "tenant": "acme", "sha256": hash_key("good"), "expiresAt": "2026-12-31T00:00:00Z"},
    )
    old, gone, good = ring.lookup("old"), ring.lookup("gone"), ring.lookup("good")
    assert old and gone and good
    assert "old expired at 2026-12-01" in (old.refusal(NOW) or "")
    assert "gone has been revoked" in (gone.refusal(NOW) or "")
    assert good.refusal(NOW) is None and ring.tenant_for("good", NOW) == "acme"
    assert ring.tenant_for("old", NOW) is None and ring.tenant_for("gone", NOW) is None


@pytest.mark.parametrize("entry", [{"expiresAt": "2026-12-01T00:00:00"}, {"revoked": "maybe"}, {"colour": "red"}])
def test_a_malformed_new_field_refuses_the_ring(entry: dict[str, object]) -> None:
    """An expiry without a time zone, a non-boolean revoked flag or an unknown field is an error, not ignored."""
    with pytest.raises(ValueError):
        _ring({"tenant": "acme", "sha256": hash_key("a"), **entry})


def test_an_expired_or_revoked_key_is_a_401_that_says_so() -> None:
    """On the API: 401 problem whose detail says revoked / expired (not the generic 'not valid')."""
    state, _, _, _ = fake_state()
    state.keys = _ring(
        {"id": "old", "tenant": "acme", "sha256": hash_key("old"), "expiresAt": "2020-01-01T00:00:00Z"},
        {"id": "gone", "tenant": "acme", "sha256": hash_key("gone"), "revoked": True},
    )
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        expired = client.get("/v1/jobs", headers={"Authorization": "Bearer old"})
        revoked = client.post("/generative-ai-images/generate", json={"productUrl": "https://a.example/p"},
                              headers={"Authorization": "Bearer gone"})
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    assert revoked.status_code == 401 and "revoked" in revoked.json()["message"]


async def test_a_reload_installs_the_new_ring_and_a_failed_one_keeps_the_last_good() -> None:
    """A changed parameter is installed; a malformed or missing one is logged and the old ring stays."""
    parameters = InMemoryParameters({PARAM: json.dumps([{"tenant": "acme", "sha256": hash_key("a")}])})
    installed: list[ApiKeyRing] = []
    refresher = KeyRingRefresher(parameters, PARAM, installed.append, interval=30)
    assert await refresher.refresh() and installed[-1].tenant_for("a") == "acme"
    parameters.values[PARAM] = "not json"
    assert not await refresher.refresh()
    del parameters.values[PARAM]
    assert not await refresher.refresh()
    assert len(installed) == 1


async def test_a_revocation_reaches_a_running_api_without_a_restart() -> None:
    """The lifespan's refresh task swaps the ring: a key revoked in SSM is refused on the next reload."""
    state, _, _, _ = fake_state(keys_refresh_seconds=1)
    entry = {"id": "acme-1", "tenant": "acme", "sha256": hash_key("acme-key")}
    parameters = InMemoryParameters({PARAM: json.dumps([entry])})
    async with AsyncExitStack() as stack:
        await start_key_refresh(stack, state, parameters, PARAM)
        parameters.values[PARAM] = json.dumps([{**entry, "revoked": True}])
        for _ in range(40):
            await asyncio.sleep(0.1)
            if state.keys.tenant_for("acme-key") is None:
                break
        assert state.keys.tenant_for("acme-key") is None and len(parameters.reads) >= 1
    reads = len(parameters.reads)
    await asyncio.sleep(1.2)
    assert len(parameters.reads) == reads  # the task stopped with the stack


def test_keys_are_reloaded_at_least_every_minute() -> None:
    """API_KEYS_REFRESH_SECONDS defaults to 30 and may not exceed 60."""
    assert ApiSettings().keys_refresh_seconds == 30
    with pytest.raises(ValueError):
        ApiSettings(keys_refresh_seconds=61)


def test_the_key_script_writes_ids_and_expiry_and_revokes_by_id() -> None:
    """create_api_key.py: a new key has an id (and expiresAt when asked); --revoke flags that id."""
    script = _script("create_api_key")
    later = NOW + timedelta(days=90)
    value = script.add_key("[]", "acme", "k1", expires_at=later)
    (entry,) = json.loads(value)
    assert entry["id"] == f"acme-{hash_key('k1')[:8]}" and entry["expiresAt"] == later.isoformat()
    revoked = _ring(*json.loads(script.revoke_key(value, entry["id"])))
    assert "revoked" in (revoked.lookup("k1").refusal(NOW) or "")  # type: ignore[union-attr]
    with pytest.raises(SystemExit):
        script.revoke_key(value, "no-such-id")
