"""A source batch counts against the tenant's daily job quota on the real table and queues.

A fresh tenant (new each run) with 12 jobs a day uses 2 through POST /v1/jobs, then sends
the 30-product sample shop's sitemap: the batch worker stores exactly the 10 rows that fit,
runs them and says why the rest are missing; the quota is then full for the API too, and
the next source batch fails with quota_exceeded. Only the API and the batch worker run (the
released jobs wait in the scrape queue): the rows and the counter are what is checked.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from services.api.auth import hash_key
from tests.integration.catalog_run import ShopProcess, start_shop
from tests.integration.conftest import Services, log_dir_for, purge_queues, service_env, start_services

pytestmark = pytest.mark.integration

KEY = f"srcquota-{uuid.uuid4().hex}"
QUOTA, PRODUCTS, USED = 12, 30, 2


@pytest.fixture(scope="module")
def shop() -> Iterator[ShopProcess]:
    process = start_shop(PRODUCTS)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def quota_stack(aws_env: dict[str, str], boto: Any, tmp_path_factory: pytest.TempPathFactory,
                request: pytest.FixtureRequest) -> Iterator[Services]:
    purge_queues(boto.sqs)
    tenant = f"s{uuid.uuid4().hex[:12]}"
    env = service_env(aws_env, tmp_path_factory.mktemp("source-quota"), API_KEYS=f"{tenant}:{hash_key(KEY)}",
                      API_LIMIT_JOBS_PER_DAY=str(QUOTA))
    services = start_services(env, log_dir_for(request), names=("api", "batcher"))
    yield services
    for name in list(services.procs):
        services.stop(name)


async def _expanded(http: httpx.AsyncClient, api: str, source: dict[str, Any], *,
                    timeout: float = 90) -> dict[str, Any]:
    """POST the source batch and poll it until the worker has stored its rows (or failed it)."""
    created = await http.post(f"{api}/v1/batches", json={"source": source})
    assert created.status_code == 202, created.text
    batch_id = created.json()["batchId"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        view: dict[str, Any] = (await http.get(f"{api}/v1/batches/{batch_id}")).json()
        if view["status"] != "expanding":
            return view
        await asyncio.sleep(0.5)
    raise AssertionError(f"batch {batch_id} still expanding after {timeout}s")


async def test_a_sitemap_batch_gets_exactly_what_is_left_of_the_daily_quota(
    quota_stack: Services, shop: ShopProcess
) -> None:
    api = quota_stack.api
    source = {"type": "sitemap", "url": f"{shop.url}/sitemap.xml", "pattern": "/products/"}
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {KEY}"}, timeout=20) as http:
        for i in range(USED):
            job = await http.post(f"{api}/v1/jobs", json={"productUrl": f"{shop.url}/products/x{i}"})
            assert job.status_code == 202, job.text
        view = await _expanded(http, api, source)
        assert view["status"] == "running", (view, quota_stack.log("batcher")[-3000:])
        assert view["total"] == QUOTA - USED and view["duplicates"] == 0
        assert view["sourceNote"] == (
            f"The daily quota of {QUOTA} jobs was reached after {QUOTA - USED} of this source's products; "
            "the rest were not added. It resets at 00:00 UTC.")
        items = (await http.get(f"{api}/v1/batches/{view['batchId']}/items", params={"limit": 100})).json()
        rows = items["items"]
        assert [r["row"] for r in rows] == list(range(1, QUOTA - USED + 1)) and items["next"] is None
        assert len({r["jobId"] for r in rows}) == len(rows)
        assert all("/products/" in r["productUrl"] for r in rows)

        # The API and the worker share one count: it is full now for both.
        refused = await http.post(f"{api}/v1/jobs", json={"productUrl": f"{shop.url}/products/late"})
        assert refused.status_code == 429 and refused.json()["limit"] == "jobsPerDay"
        second = await _expanded(http, api, source)
        assert second["status"] == "failed" and second["total"] == 0, second
        error = second["error"]
        assert error["code"] == "quota_exceeded" and f"daily quota of {QUOTA} jobs" in error["reason"]
        assert second["sourceNote"] is None
