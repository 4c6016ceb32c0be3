"""The quality gate end to end: the image model alters products, the text cannot be read.

The local image server's altered-product mode recolours, bends or relabels the product in
a share of its answers; every published image must still show the real product (the gate
caught each alteration and regenerated or composited, and the report says which), or the
job fails with a reason. A price the fonts cannot draw is caught by the read-back.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
from typing import Any

import httpx
import pytest
from PIL import Image

from services.common.events import DetailType, source_for
from services.common.job_files import background_key
from services.renderer.quality.fidelity import judge, measure
from tests.integration.faults.conftest import StartStack
from tests.integration.faults.harness import (
    BUCKET,
    BackgroundServers,
    bus_rule,
    product_urls,
    submit,
    wait_final,
)
from tests.integration.pages import product_photo

pytestmark = pytest.mark.integration
AUTH = {"Authorization": "Bearer itest-key"}  # bootstrapped by aws_env as tenant "itest"


def _altered_answers(servers: BackgroundServers) -> int:
    return sum(1 for r in servers.image_stats()["recent"] if r.get("altered"))


async def test_altered_products_are_caught_and_every_published_image_shows_the_real_one(
    stack: StartStack, servers: BackgroundServers, boto: Any
) -> None:
    """Half the model's answers alter the product. Every job completes; the scene each image
    was rendered from passes the fidelity checks against the shop's photo; each job's report
    says what was done (none, regenerated or composited); the number of alterations the
    reports account for equals the number the server made: none slipped through, no honest
    scene was refused; and ProductImageGenerated carries the report."""
    servers.image_control(alter_rate=0.5)
    services = stack()
    with bus_rule(boto, DetailType.IMAGE_GENERATED.value, source_for(DetailType.IMAGE_GENERATED)) as bus:
        job_ids = await submit(services.api, product_urls(servers.pages, 8, "altered"))
        jobs = await wait_final(boto.dynamodb, job_ids, within=120)
        events = {e["detail"]["jobId"]: e["detail"] for e in bus.drain()}
    photo = product_photo()
    accounted = 0
    for job_id, job in jobs.items():
        assert job["status"] == "completed", (job_id, job.get("error"))
        scene_report = job["qa"]["images"][0]
        assert scene_report["subject"] == "scene" and scene_report["passed"] is True
        action = scene_report["action"]
        assert action in {"none", "regenerated", "composited"}, scene_report
        accounted += {"none": 0, "regenerated": 1, "composited": 2}[action]
        scene = boto.s3.get_object(Bucket=BUCKET, Key=background_key(job_id, 1))["Body"].read()
        checks = judge(measure(scene, photo))
        assert all(c.passed for c in checks), (job_id, action, [c.to_dict() for c in checks])
        assert events[job_id]["qa"] == json.loads(json.dumps(job["qa"], default=float))  # DynamoDB: Decimals
    assert accounted == _altered_answers(servers) > 0


async def test_fail_on_fidelity_fails_the_job_with_a_reason_and_the_report(
    stack: StartStack, servers: BackgroundServers
) -> None:
    """onFidelityFailure=fail and a model that relabels the product twice: the job fails,
    GET /v1/jobs shows why and the failed checks, and no image is published."""
    services = stack()
    servers.image_control(alter_next=["label", "label"])
    body = {"product": {"name": "Copper Kettle", "price": "129.00", "currency": "USD",
                        "imageUrl": f"{servers.pages.base}/img/kettle.jpg"},
            "onFidelityFailure": "fail"}
    job = await _run_v1(services.api, body)
    assert job["status"] == "failed" and job["images"] == []
    assert "changed the product twice" in job["error"]["reason"]
    scene = job["qa"]["images"][0]
    assert (scene["subject"], scene["action"], scene["passed"]) == ("scene", "failed", False)
    assert job["options"]["onFidelityFailure"] == "fail"


async def test_text_that_cannot_be_read_back_is_caught(stack: StartStack, servers: BackgroundServers) -> None:
    """A price override in Thai digits (no shipped face draws them): the read-back fails the
    variant even on a stronger backdrop, and the job fails saying which check."""
    services = stack()
    body = {"product": {"name": "Copper Kettle", "price": "129.00", "currency": "THB",
                        "imageUrl": f"{servers.pages.base}/img/kettle.jpg"},
            "overlay": {"price": {"text": "฿๑๒๙.๐๐"}}}
    job = await _run_v1(services.api, body)
    assert job["status"] == "failed", job
    assert job["error"]["reason"].startswith("quality gate: square: ocr.price")
    square = job["qa"]["images"][1]
    assert (square["subject"], square["action"], square["passed"]) == ("square", "failed", False)


async def test_a_readable_job_shows_its_report_on_the_api(stack: StartStack, servers: BackgroundServers) -> None:
    """A plain job: GET /v1/jobs/{id} shows every check with score, threshold and verdict."""
    services = stack()
    body = {"product": {"name": "Copper Kettle", "price": "129.00", "currency": "USD", "offer": "-20%",
                        "imageUrl": f"{servers.pages.base}/img/kettle.jpg"}}
    job = await _run_v1(services.api, body)
    assert job["status"] == "completed", job
    square = job["qa"]["images"][1]
    checks = {c["check"]: c for c in square["checks"]}
    assert {"ocr.price", "ocr.currency", "ocr.offer", "ocr.name"} <= set(checks)
    assert checks["ocr.price"]["score"] == 1.0 and checks["ocr.price"]["threshold"] == 1.0
    image = await asyncio.to_thread(httpx.get, job["images"][0]["url"], timeout=10)
    assert Image.open(io.BytesIO(image.content)).size == (1080, 1080)


async def _run_v1(api: str, body: dict[str, Any], wait: float = 90) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=api, headers=AUTH, timeout=20) as http:
        accepted = await http.post("/v1/jobs", json=body)
        assert accepted.status_code == 202, accepted.text
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            job: dict[str, Any] = (await http.get(f"/v1/jobs/{accepted.json()['jobId']}")).json()
            if job["status"] in ("completed", "failed"):
                return job
            await asyncio.sleep(0.3)
    raise AssertionError(f"job did not finish: {job}")
