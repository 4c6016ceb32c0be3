"""/v1 end to end with all three services: a job given its product facts renders without scraping."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import AUTH
from tests.integration.conftest import Services
from tests.integration.pages import PageServer

pytestmark = pytest.mark.integration


async def _final(http: httpx.AsyncClient, job_id: str, wait: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        job: dict[str, Any] = (await http.get(f"/v1/jobs/{job_id}")).json()
        if job["status"] in ("completed", "failed"):
            return job
        await asyncio.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish: {job}")


async def test_product_given_directly_is_rendered_in_every_format(
    pipeline: Services, pages: PageServer
) -> None:
    """POST product facts + photo URL: the renderer takes it via ProductScraped; one image per format."""
    body = {
        "product": {
            "name": "Trail Shoe X2",
            "price": "89.90",
            "currency": "EUR",
            "regularPrice": "119.90",
            "offer": "-25%",
            "brand": "Acme",
            "imageUrl": f"{pages.base}/img/shoe.jpg",
        },
        "formats": ["square", "landscape"],
        "output": "png",
        "metadata": {"campaign": "spring"},
    }
    async with httpx.AsyncClient(base_url=pipeline.api, headers=AUTH, timeout=20) as http:
        accepted = await http.post("/v1/jobs", json=body)
        assert accepted.status_code == 202, accepted.text
        job = await _final(http, accepted.json()["jobId"])
        assert job["status"] == "completed", job
        assert pages.hits == {}  # no page was scraped
        sizes = {(i["format"], i["width"], i["height"], i["contentType"]) for i in job["images"]}
        assert sizes == {("square", 1080, 1080, "image/png"), ("landscape", 1200, 628, "image/png")}
        image = await asyncio.to_thread(httpx.get, job["images"][0]["url"], timeout=10)
        assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
        assert job["metadata"] == {"campaign": "spring"} and job["product"]["name"] == "Trail Shoe X2"
        deleted = await http.delete(f"/v1/jobs/{job['jobId']}")
        assert deleted.status_code == 204
        gone = await asyncio.to_thread(httpx.get, job["images"][0]["url"], timeout=10)
        assert gone.status_code in (403, 404)
