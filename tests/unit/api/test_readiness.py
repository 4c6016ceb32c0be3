"""/readyz answers ready or not ready; which dependency failed, and how, stays in the logs."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from services.api.app import create_app
from services.common.errors import DependencyUnavailableError
from services.common.settings import CommonSettings
from tests.unit.api.fakes import fake_state


def _client() -> tuple[TestClient, Any]:
    state, store, _, _ = fake_state()
    return TestClient(create_app(CommonSettings(), state.settings, state=state)), store


def test_ready_answers_only_that_it_is_ready() -> None:
    """All dependencies answer: 200 {"status": "ready"}, no list of what was checked."""
    client, _ = _client()
    with client:
        resp = client.get("/readyz")
    assert (resp.status_code, resp.json()) == (200, {"status": "ready"})


def test_not_ready_names_no_dependency_and_no_exception(monkeypatch: Any) -> None:
    """A failing store gives a bare 503 problem: no table, service or exception name in the body."""
    client, store = _client()

    async def down() -> None:
        raise DependencyUnavailableError("job store unavailable (ClientError: AccessDenied on table productshot-jobs)")

    monkeypatch.setattr(store, "check", down)
    with client:
        resp = client.get("/readyz")
    assert resp.status_code == 503 and resp.json()["detail"] == "Not ready."
    for internal in ("dynamodb", "DependencyUnavailableError", "AccessDenied", "productshot-jobs", "checks"):
        assert internal not in resp.text, internal


def test_an_unreachable_batches_table_makes_the_api_not_ready() -> None:
    """The batch routes need the batches table: without it the API is not ready (503)."""
    state, _, _, _ = fake_state()
    state.batches.down = True
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        resp = client.get("/readyz")
    assert resp.status_code == 503 and resp.json()["detail"] == "Not ready."
