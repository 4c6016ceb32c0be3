"""The walking skeleton end to end: HTTP API -> scraper -> EventBridge -> renderer -> S3."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import httpx
from PIL import Image

from tests.integration.conftest import ROOT, Services, wait_for_status
from tests.integration.pages import PageServer


async def test_job_submitted_over_http_completes_with_a_valid_jpeg(pipeline: Services, pages: PageServer,
                                                                   boto: Any) -> None:
    """A product page becomes a completed job whose S3 object is a JPEG of the reported size."""
    url = pages.add_product("kettle", "Copper Kettle 1.5 L", "129.00", regular="159.00")
    async with httpx.AsyncClient(base_url=pipeline.api, timeout=10) as client:
        resp = await client.post("/generative-ai-images/generate", json={"productUrl": url})
        assert resp.status_code == 202, resp.text
        accepted = resp.json()
        assert accepted["statusUrl"] == f"/generative-ai-images/status/{accepted['jobId']}"
        status = await wait_for_status(client, accepted["jobId"])
    assert status["status"] == "completed", status
    assert status["contentType"] == "image/jpeg"
    assert "Copper Kettle" in status["overlayText"]
    item = boto.dynamodb.get_item(TableName="productshot-jobs", Key={"jobId": {"S": accepted["jobId"]}})["Item"]
    image = item["images"]["L"][0]["M"]
    key, size = image["key"]["S"], int(image["size"]["N"])
    obj = boto.s3.get_object(Bucket="productshot-images", Key=key)
    data = obj["Body"].read()
    assert obj["ContentType"] == "image/jpeg" and obj.get("ServerSideEncryption") == "AES256"
    assert len(data) == size == obj["ContentLength"]
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and img.size == (1080, 1080)
    async with httpx.AsyncClient(timeout=10) as anonymous:  # the presigned URL works without credentials
        downloaded = await anonymous.get(status["imageUrl"])
    assert downloaded.status_code == 200 and downloaded.content == data


async def test_unreachable_url_fails_the_job_with_a_reason(pipeline: Services) -> None:
    """A page that cannot be fetched ends in failed with a reason a person can read."""
    async with httpx.AsyncClient(base_url=pipeline.api, timeout=10) as client:
        resp = await client.post("/generative-ai-images/generate", json={"productUrl": "http://127.0.0.1:9/none"})
        assert resp.status_code == 202
        status = await wait_for_status(client, resp.json()["jobId"], timeout=120)
    assert status["status"] == "failed"
    assert status["error"] and len(status["error"]) > 10


async def test_page_without_a_product_fails_at_once(pipeline: Services, pages: PageServer) -> None:
    """A page with no product data fails permanently (no retries) with an explanation."""
    pages.pages["about"] = "<!doctype html><html><head><title>About us</title></head><body>Hello</body></html>"
    async with httpx.AsyncClient(base_url=pipeline.api, timeout=10) as client:
        resp = await client.post("/generative-ai-images/generate", json={"productUrl": f"{pages.base}/p/about"})
        status = await wait_for_status(client, resp.json()["jobId"], timeout=30)
    assert status["status"] == "failed"
    assert pages.hits["about"] == 1


async def test_seed_api_rejects_bad_input_and_unknown_jobs(pipeline: Services) -> None:
    """Invalid bodies and URLs get 400 with a message; unknown jobs get the seed's 404."""
    async with httpx.AsyncClient(base_url=pipeline.api, timeout=10) as client:
        for body in [b"not json", b"[]", b'{"productUrl": "ftp://x"}', b'{"productUrl": ""}', b"{}"]:
            resp = await client.post("/generative-ai-images/generate", content=body,
                                     headers={"content-type": "application/json"})
            assert resp.status_code == 400 and resp.json()["message"], body
        resp = await client.get("/generative-ai-images/status/4a0c2b4e-0000-4000-8000-000000000000")
        assert resp.status_code == 404 and resp.json() == {"message": "Job not found"}


def test_bootstrap_twice_changes_nothing(aws_env: dict[str, str]) -> None:
    """Running the bootstrap on an existing topology reports every resource unchanged."""
    keys = ["--api-key", "itest:itest-key", "--api-key", "other:other-key"]
    out = subprocess.run([sys.executable, "-m", "infra.bootstrap", *keys], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1].startswith("bootstrap: 0 changed")
