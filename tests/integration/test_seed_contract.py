"""A client written against the seed's README, end to end on the local stack.

It submits, polls through pending and processing to completed, downloads imageUrl before
urlExpiresAt, and sees a failing URL end in failed. Every answer is checked field for field
and JSON type for JSON type against the seed's documented table (timestamps are Unix epoch
seconds).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.contracts.seed_status import assert_seed_shape
from tests.integration.conftest import Services, purge_queues, service_env, start_services, wait_for_status
from tests.integration.conftest import log_dir_for as log_dir
from tests.integration.pages import PageServer


class Stage:
    """API and renderer running; the scraper starts on demand, so a job can first be seen pending.

    Once started the scraper stays up for the module: a stopped consumer's abandoned long poll
    can still take the next message and hide it for the queue's visibility timeout.
    """

    def __init__(self, services: Services, env: dict[str, str], logs: Any) -> None:
        self.services, self.env, self.logs = services, env, logs
        self.scraper: Services | None = None

    def start_scraper(self) -> None:
        if self.scraper is None:
            self.scraper = start_services(self.env, self.logs / "scraper", names=("scraper",))

    def stop(self) -> None:
        for group in (self.scraper, self.services):
            for name in list(group.procs) if group else []:
                group.stop(name)


@pytest.fixture(scope="module")
def staged(aws_env: dict[str, str], boto: Any, tmp_path_factory: pytest.TempPathFactory,
           request: pytest.FixtureRequest) -> Iterator[Stage]:
    purge_queues(boto.sqs)
    env = service_env(aws_env, tmp_path_factory.mktemp("seed"))
    logs = log_dir(request)
    stage = Stage(start_services(env, logs, names=("api", "renderer")), env, logs)
    yield stage
    stage.stop()


async def _status(client: httpx.AsyncClient, job_id: str) -> dict[str, Any]:
    resp = await client.get(f"/generative-ai-images/status/{job_id}")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = resp.json()
    assert_seed_shape(body)
    return body


async def _until(client: httpx.AsyncClient, job_id: str, status: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body = await _status(client, job_id)
        if body["status"] == status or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.2)


async def test_a_seed_client_sees_every_status_in_the_seed_shape(staged: Stage, pages: PageServer) -> None:
    """pending -> processing -> completed, each body exactly the seed's; the image downloads in time."""
    url = pages.add_product("seed-kettle", "Copper Kettle 1.5 L", "129.00", regular="159.00")
    pages.held["seed-kettle"] = asyncio.Event()
    submitted = time.time()
    async with httpx.AsyncClient(base_url=staged.services.api, timeout=10) as client:
        resp = await client.post("/generative-ai-images/generate", json={"productUrl": url})
        assert resp.status_code == 202
        accepted = resp.json()
        assert set(accepted) == {"jobId", "message", "statusUrl"}
        assert accepted["message"] == "Image generation started"
        job_id = accepted["jobId"]
        assert accepted["statusUrl"] == f"/generative-ai-images/status/{job_id}"

        if staged.scraper is None:  # no scraper runs yet: the job waits in the queue
            pending = await _status(client, job_id)
            assert pending["status"] == "pending" and pending["jobId"] == job_id
            assert submitted - 2 <= pending["createdAt"] <= time.time() + 1
        staged.start_scraper()
        processing = await _until(client, job_id, "processing")  # the page is held: scraping
        assert processing["status"] == "processing", processing
        assert processing["message"] == "Image generation in progress"
        assert submitted - 2 <= processing["createdAt"] <= time.time() + 1
        pages.held["seed-kettle"].set()
        done = await _until(client, job_id, "completed")
        assert done["status"] == "completed", done
        assert done["createdAt"] == processing["createdAt"]
        assert done["createdAt"] <= done["completedAt"] <= time.time() + 1
        assert done["fileName"] == f"{job_id}.jpg" and done["contentType"] == "image/jpeg"
        assert "Copper Kettle" in done["overlayText"]
        now = time.time()
        assert now < done["urlExpiresAt"] <= now + 3600  # the seed client's own check
    async with httpx.AsyncClient(timeout=10) as anonymous:
        image = await anonymous.get(done["imageUrl"])
    assert image.status_code == 200 and image.content[:3] == b"\xff\xd8\xff"
    assert time.time() < done["urlExpiresAt"]


async def test_a_seed_client_sees_a_failing_url_end_failed_in_the_seed_shape(
    staged: Stage, pages: PageServer
) -> None:
    """A page that is not a product ends in failed with failedAt and an error sentence."""
    pages.pages["seed-about"] = "<!doctype html><html><head><title>About us</title></head><body>Hi</body></html>"
    staged.start_scraper()
    async with httpx.AsyncClient(base_url=staged.services.api, timeout=10) as client:
        resp = await client.post("/generative-ai-images/generate", json={"productUrl": f"{pages.base}/p/seed-about"})
        failed = await wait_for_status(client, resp.json()["jobId"], timeout=60)
    assert_seed_shape(failed)
    assert failed["status"] == "failed" and failed["createdAt"] <= failed["failedAt"] <= time.time() + 1
    assert len(failed["error"]) > 10 and failed["errorCode"] == "no_product"
