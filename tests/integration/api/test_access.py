"""Keys, tenants, rate limits, CORS, request ids, probes and the reference, on the real app."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import AUTH
from tests.integration.api.test_create_job import assert_problem
from tests.integration.conftest import Services

pytestmark = pytest.mark.integration


async def test_missing_malformed_or_unknown_keys_are_401(api: Services) -> None:
    """No header, a non-Bearer scheme or an unknown key: 401 problem with WWW-Authenticate."""
    async with httpx.AsyncClient(base_url=api.api, timeout=10) as http:
        for headers in (
            {},
            {"Authorization": "Basic aXRlc3Q6eA=="},
            {"Authorization": "Bearer wrong-key"},
            {"Authorization": "Bearer"},
        ):
            resp = await http.get("/v1/jobs", headers=headers)
            assert_problem(resp, 401)
            assert resp.headers["www-authenticate"].startswith("Bearer")


async def test_seed_endpoints_take_an_optional_key_and_respect_tenants(api: Services) -> None:
    """Seed calls work without a key locally (the anonymous tenant); with a key the job is that
    tenant's, also on /v1."""
    async with httpx.AsyncClient(base_url=api.api, timeout=10) as http:
        keyed = await http.post(
            "/generative-ai-images/generate", json={"productUrl": "https://a.example/p"}, headers=AUTH
        )
        assert keyed.status_code == 202 and set(keyed.json()) == {"jobId", "message", "statusUrl"}
        job_id = keyed.json()["jobId"]
        assert (await http.get(f"/v1/jobs/{job_id}", headers=AUTH)).json()["status"] == "pending"
        assert (await http.get(keyed.json()["statusUrl"], headers=AUTH)).json()["status"] == "pending"
        assert (await http.get(keyed.json()["statusUrl"])).status_code == 404  # not the anonymous tenant's
        anonymous = await http.post(
            "/generative-ai-images/generate", json={"productUrl": "https://a.example/p"}
        )
        assert anonymous.status_code == 202
        assert (await http.get(anonymous.json()["statusUrl"])).json()["status"] == "pending"
        bad = await http.post(
            "/generative-ai-images/generate",
            json={"productUrl": "https://a.example/p"},
            headers={"Authorization": "Bearer nope"},
        )
        assert bad.status_code == 401 and bad.json() == {"message": "The API key is not valid."}


async def test_rate_limit_is_429_with_retry_after_per_key(limited_api: Services) -> None:
    """After the burst, a key gets 429 with Retry-After; other callers are not affected."""
    async with httpx.AsyncClient(base_url=limited_api.api, timeout=10) as http:
        codes = [(await http.get("/v1/jobs", headers=AUTH)).status_code for _ in range(4)]
        assert codes[:3] == [200, 200, 200]
        limited = await http.get("/v1/jobs", headers=AUTH)
        body = assert_problem(limited, 429)
        assert int(limited.headers["retry-after"]) >= 1 and body["detail"]
        assert (
            await http.get("/generative-ai-images/status/x")
        ).status_code == 404  # anonymous bucket is separate


async def test_cors_allows_configured_origins_only(api: Services) -> None:
    """A preflight from a listed origin is allowed (with our headers); another origin gets no CORS grant."""
    async with httpx.AsyncClient(base_url=api.api, timeout=10) as http:
        pre = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        }
        ok = await http.options("/v1/jobs", headers={"Origin": "https://app.example", **pre})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://app.example"
        denied = await http.options("/v1/jobs", headers={"Origin": "https://evil.example", **pre})
        assert "access-control-allow-origin" not in denied.headers
        simple = await http.get("/v1/jobs", headers={"Origin": "https://app.example", **AUTH})
        assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


async def test_request_id_is_echoed_and_on_the_access_log_line(api: Services) -> None:
    """A sane X-Request-Id comes back and is on the access log; an unsafe one is replaced."""
    async with httpx.AsyncClient(base_url=api.api, timeout=10) as http:
        resp = await http.get("/v1/jobs", headers={**AUTH, "X-Request-Id": "req-abc-12345"})
        assert resp.headers["x-request-id"] == "req-abc-12345"
        unsafe = await http.get("/healthz", headers={"X-Request-Id": "bad id\twith tabs"})
        assert (
            unsafe.headers["x-request-id"] != "bad id\twith tabs"
            and len(unsafe.headers["x-request-id"]) == 32
        )
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [json.loads(line) for line in api.log("api").splitlines() if line.startswith("{")]
        hits = [
            line for line in lines if line.get("requestId") == "req-abc-12345" and line["event"] == "request"
        ]
        if hits:
            break
        await asyncio.sleep(0.1)
    assert (
        hits and hits[0]["status"] == 200 and hits[0]["tenant"] == "itest" and hits[0]["path"] == "/v1/jobs"
    )


async def test_probes_openapi_and_offline_docs(api: Services) -> None:
    """healthz and readyz answer 200; openapi.json is OpenAPI 3.1; /docs loads its script from this server."""
    async with httpx.AsyncClient(base_url=api.api, timeout=10) as http:
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        ready = (await http.get("/readyz")).json()
        assert ready == {"status": "ready"}
        spec: dict[str, Any] = (await http.get("/openapi.json")).json()
        assert spec["openapi"].startswith("3.1") and "/v1/jobs/{jobId}/retry" in spec["paths"]
        page = (await http.get("/docs")).text
        assert "http" not in page.split("<body>")[1]  # every asset is relative: works offline
        script = await http.get("/static/redoc/redoc.standalone.js")
        assert script.status_code == 200 and len(script.content) > 100_000
        assert_problem(await http.get("/v1/nothing-here", headers=AUTH), 404)
