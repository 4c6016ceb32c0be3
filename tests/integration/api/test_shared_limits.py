"""The shared limiter on the real table: two API processes enforce one quota between them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from services.api.auth import hash_key
from tests.integration.conftest import Services, log_dir_for, service_env, start_services

pytestmark = pytest.mark.integration
KEY = f"quota-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def two_tasks(
    aws_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[Services, Services]]:
    """Two API processes on the same table; a fresh tenant (new each run) with 3 jobs a day;
    the seed path needs a key (the default)."""
    tenant = f"q{uuid.uuid4().hex[:12]}"
    env = service_env(
        aws_env, tmp_path_factory.mktemp("quota"), API_KEYS=f"{tenant}:{hash_key(KEY)}",
        API_LIMIT_JOBS_PER_DAY="3", API_SEED_REQUIRE_KEY="true",
    )
    one = start_services(env, log_dir_for(request) / "one", names=("api",))
    two = start_services(env, log_dir_for(request) / "two", names=("api",))
    yield one, two
    one.stop("api")
    two.stop("api")


async def test_the_daily_quota_holds_across_two_api_processes(two_tasks: Any) -> None:
    """3 jobs a day: two accepted by one process and one by the other; the fourth, on either, is
    429 with Retry-After and a problem body naming jobsPerDay."""
    one, two = two_tasks
    auth = {"Authorization": f"Bearer {KEY}"}
    body = {"productUrl": "https://a.example/p"}
    async with httpx.AsyncClient(headers=auth, timeout=20) as http:
        codes = [(await http.post(f"{api.api}/v1/jobs", json=body)).status_code for api in (one, two, one)]
        refused = await http.post(f"{two.api}/v1/jobs", json=body)
        seed = await http.post(f"{one.api}/generative-ai-images/generate", json=body)
        keyless = await http.post(f"{one.api}/generative-ai-images/generate", json=body, headers={"Authorization": ""})
    assert codes == [202, 202, 202]
    assert refused.status_code == 429 and refused.json()["limit"] == "jobsPerDay"
    assert 0 < int(refused.headers["retry-after"]) <= 86_400
    assert seed.status_code == 429 and "daily quota" in seed.json()["message"]
    assert keyless.status_code == 401
