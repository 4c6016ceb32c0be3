"""POST /v1/jobs against the real app on the local AWS: 202, 400, 409, 413, 415, 422, 503."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import AUTH, BUCKET, scrape_messages
from tests.integration.conftest import Services
from tests.integration.pages import PageServer

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


def assert_problem(resp: httpx.Response, status: int, *fields: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == PROBLEM
    body: dict[str, Any] = resp.json()
    assert (
        body["status"] == status and body["type"].startswith("https://") and body["title"] and body["detail"]
    )
    named = {e["field"] for e in body.get("errors", [])}
    assert set(fields) <= named, body
    return body


async def test_url_job_is_accepted_queued_and_announced(client: httpx.AsyncClient, boto: Any) -> None:
    """202 with the job, a Location header and links; the scrape request is on the queue with attempt 1."""
    resp = await client.post(
        "/v1/jobs",
        json={
            "productUrl": "https://shop.example.com/p/1",
            "formats": ["story"],
            "output": "png",
            "style": "luxury",
            "metadata": {"campaign": "x"},
        },
    )
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert resp.headers["location"] == f"/v1/jobs/{job['jobId']}" == job["links"]["self"]
    assert job["status"] == "pending" and job["attempt"] == 1 and job["metadata"] == {"campaign": "x"}
    assert job["options"] == {"formats": ["story"], "output": "png", "style": "luxury", "overlay": {},
                              "onUncertain": "hide", "onFidelityFailure": "composite"}
    assert scrape_messages(boto, job["jobId"]) == [{"schemaVersion": 1, "jobId": job["jobId"], "attempt": 1}]


async def test_product_job_with_image_is_created_scraped_with_the_photo_in_s3(
    client: httpx.AsyncClient, boto: Any, pages: PageServer
) -> None:
    """Given product facts and a photo URL, the job starts 'scraped', the photo copied to S3 (SSE)."""
    body = {
        "product": {
            "name": "Copper Kettle",
            "price": "129.00",
            "currency": "EUR",
            "regularPrice": "159.00",
            "offer": "-20%",
            "brand": "Acme",
            "imageUrl": f"{pages.base}/img/kettle.jpg",
        },
        "overlay": {"brand": {"hide": True}, "name": {"text": "The Kettle"}},
    }
    resp = await client.post("/v1/jobs", json=body)
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert job["status"] == "scraped" and job["productUrl"] is None
    assert job["product"]["name"] == "Copper Kettle" and job["product"]["images"] == [
        body["product"]["imageUrl"]
    ]
    assert job["options"]["overlay"] == {
        "brand": {"hide": True},
        "name": {"hide": False, "text": "The Kettle"},
    }
    obj = boto.s3.get_object(Bucket=BUCKET, Key=f"jobs/{job['jobId']}/source.jpg")
    assert obj["ServerSideEncryption"] == "AES256" and obj["ContentType"] == "image/jpeg"


async def test_product_image_on_a_private_address_is_refused(client: httpx.AsyncClient) -> None:
    """An imageUrl pointing at the metadata address is a 422 naming product.imageUrl; nothing is fetched."""
    resp = await client.post(
        "/v1/jobs", json={"product": {"name": "X", "imageUrl": "http://169.254.169.254/a.jpg"}}
    )
    assert_problem(resp, 422, "product.imageUrl")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"productUrl": "ftp://shop.example.com/p/1"}, "productUrl"),
        ({"productUrl": "https://shop.example.com/" + "x" * 2048}, "productUrl"),
        ({"productUrl": "https://shop.example.com/p", "colour": "red"}, "colour"),
        ({"productUrl": "https://shop.example.com/p", "formats": "square"}, "formats"),
        ({"productUrl": "https://shop.example.com/p", "formats": ["square", "square"]}, "formats"),
        ({"productUrl": "https://shop.example.com/p", "formats": ["poster"]}, "formats.0"),
        ({"productUrl": "https://shop.example.com/p", "output": "gif"}, "output"),
        ({"productUrl": "https://shop.example.com/p", "style": "vaporwave"}, "style"),
        (
            {"productUrl": "https://shop.example.com/p", "overlay": {"price": {"hide": "yes"}}},
            "overlay.price.hide",
        ),
        ({"productUrl": "https://shop.example.com/p", "metadata": {"blob": "x" * 1100}}, "metadata"),
        ({"product": {"name": "Lamp", "price": "12,50"}}, "product.price"),
        ({"product": {"price": "12.50"}}, "product.name"),
        ({}, "body"),
        ({"productUrl": "https://shop.example.com/p", "product": {"name": "Lamp"}}, "body"),
        ([1, 2], "body"),
    ],
)
async def test_invalid_fields_are_422_naming_the_field(
    client: httpx.AsyncClient, body: Any, field: str
) -> None:
    """Wrong types, unknown fields, non-http(s) and over-long URLs, bad enums: 422 with the field named."""
    assert_problem(await client.post("/v1/jobs", json=body), 422, field)


async def test_malformed_json_is_400(client: httpx.AsyncClient) -> None:
    """A body that is not JSON is a 400 problem, never a 500."""
    for raw in (b"{bad", b"", b"NaN", b"\xff\xfe"):
        resp = await client.post("/v1/jobs", content=raw, headers={"content-type": "application/json"})
        assert_problem(resp, 400, "body")


async def test_non_json_content_type_is_415(client: httpx.AsyncClient) -> None:
    """Form posts and plain text are 415 problems."""
    resp = await client.post("/v1/jobs", content=b"productUrl=x", headers={"content-type": "text/plain"})
    assert_problem(resp, 415)


async def test_body_over_64_kb_is_413_with_or_without_content_length(client: httpx.AsyncClient) -> None:
    """Bodies over 64 KB are refused, whether declared in Content-Length or streamed chunked."""
    big = json.dumps({"productUrl": "https://a.example/p", "metadata": {"x": "y" * 70_000}}).encode()
    assert_problem(
        await client.post("/v1/jobs", content=big, headers={"content-type": "application/json"}), 413
    )

    async def chunks() -> Any:
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    resp = await client.post("/v1/jobs", content=chunks(), headers={"content-type": "application/json"})
    assert_problem(resp, 413)


async def test_idempotency_key_returns_the_same_job_and_conflicts_on_another_body(
    client: httpx.AsyncClient, boto: Any
) -> None:
    """Same key + same body (any formatting) -> first answer replayed; other body 409; one message."""
    body = {"productUrl": "https://shop.example.com/p/idem", "metadata": {"a": 1, "b": 2}}
    headers = {"Idempotency-Key": f"order-{uuid.uuid4()}"}
    first = await client.post("/v1/jobs", json=body, headers=headers)
    reordered = json.dumps({"metadata": {"b": 2, "a": 1}, "productUrl": body["productUrl"]}, indent=2)
    second = await client.post(
        "/v1/jobs", content=reordered, headers={**headers, "content-type": "application/json"}
    )
    assert first.status_code == second.status_code == 202
    assert second.json() == first.json() and second.headers["idempotent-replayed"] == "true"
    assert second.headers["location"] == first.headers["location"]
    other = await client.post("/v1/jobs", json={**body, "style": "minimal"}, headers=headers)
    assert_problem(other, 409)
    assert len(scrape_messages(boto, first.json()["jobId"])) == 1


async def test_concurrent_duplicates_create_one_job(client: httpx.AsyncClient) -> None:
    """Eight simultaneous requests with one key and body all answer with the same job."""
    body, race_key = {"productUrl": "https://shop.example.com/p/race"}, f"race-{uuid.uuid4()}"
    responses = await asyncio.gather(
        *(client.post("/v1/jobs", json=body, headers={"Idempotency-Key": race_key}) for _ in range(8))
    )
    assert {r.status_code for r in responses} == {202}
    assert len({r.json()["jobId"] for r in responses}) == 1


async def test_bad_idempotency_key_is_400(client: httpx.AsyncClient) -> None:
    """An Idempotency-Key longer than 255 characters is a 400 naming the header."""
    resp = await client.post(
        "/v1/jobs", json={"productUrl": "https://a.example/p"}, headers={"Idempotency-Key": "k" * 256}
    )
    assert_problem(resp, 400, "Idempotency-Key")


async def test_queue_down_gives_503_and_the_job_is_failed_not_pending(broken_api: Services) -> None:
    """When the job cannot be queued (or handed to the renderer) the client gets 503 and the job is failed."""
    async with httpx.AsyncClient(base_url=broken_api.api, headers=AUTH, timeout=20) as http:
        for body in ({"productUrl": "https://shop.example.com/p/down"}, {"product": {"name": "Down Lamp"}}):
            resp = await http.post("/v1/jobs", json=body)
            assert_problem(resp, 503)
            latest = (await http.get("/v1/jobs", params={"limit": 1})).json()["items"][0]
            assert latest["status"] == "failed" and "queued" in latest["error"]["reason"], latest
        assert_problem(await http.get("/readyz"), 503)
