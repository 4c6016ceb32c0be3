"""Keys on every path that starts work: the seed's generate path needs one unless the API runs locally open."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from starlette.testclient import TestClient

from services.api.app import create_app
from services.api.settings import ApiSettings
from services.common.settings import CommonSettings
from tests.unit.api.fakes import fake_state

SEED = "/generative-ai-images/generate"
BODY = {"productUrl": "https://shop.example.com/p/1"}


def test_the_seed_generate_path_needs_a_key_by_default() -> None:
    """With no setting at all, an anonymous POST to the seed path is a 401 in the seed's shape; a key works."""
    state, store, _, _ = fake_state()
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        anonymous = client.post(SEED, json=BODY)
        keyed = client.post(SEED, json=BODY, headers={"Authorization": "Bearer acme-key"})
    assert anonymous.status_code == 401 and set(anonymous.json()) == {"message"}
    assert keyed.status_code == 202 and store.jobs[keyed.json()["jobId"]].tenant == "acme"


@pytest.mark.parametrize("switch", [{"seed_require_key": False}, {"auth_disabled": True}])
@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.1.7", "api.internal"])
def test_an_open_switch_is_refused_on_an_api_that_listens_beyond_loopback(switch: dict[str, bool], host: str) -> None:
    """API_SEED_REQUIRE_KEY=false and API_AUTH_DISABLED=true stop the API from starting unless API_HOST is loopback."""
    with pytest.raises(ValidationError, match="local runs only"):
        ApiSettings(host=host, **switch)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.5", "::1", "localhost"])
def test_the_open_switch_is_honoured_on_loopback(host: str) -> None:
    """Locally (loopback API_HOST) the seed path may be opened for old clients and demos."""
    assert ApiSettings(host=host, seed_require_key=False).seed_require_key is False
