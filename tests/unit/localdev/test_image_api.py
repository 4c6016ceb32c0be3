"""The local OpenAI-compatible image server: shapes, switches, counters, capacity and CLI."""

from __future__ import annotations

import asyncio
import base64
import io
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from PIL import Image

from localdev import image_scenes
from localdev.image_api import ImageAPIServer

AUTH = {"Authorization": "Bearer sk-local"}


@pytest.fixture
async def server() -> AsyncIterator[ImageAPIServer]:
    async with ImageAPIServer() as srv:
        yield srv


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def generate(http: aiohttp.ClientSession, server: ImageAPIServer, **body: Any) -> tuple[int, Any, Any]:
    payload = {"model": "gpt-image-1", "prompt": "a red kettle", **body}
    async with http.post(f"{server.base_url}/images/generations", json=payload, headers=AUTH) as resp:
        return resp.status, await resp.json(), resp.headers


def decode(body: dict[str, Any]) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(body["data"][0]["b64_json"])))


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("size", ["1024x1024", "1536x1024", "1024x1536"])
async def test_generations_return_a_png_of_the_requested_size(server, http, size):
    """gpt-image-1 answers with OpenAI's shape: created, data[].b64_json (PNG of that size), usage."""
    status, body, _ = await generate(http, server, size=size)
    assert status == 200
    assert isinstance(body["created"], int) and body["usage"]["output_tokens"] > 0
    img = decode(body)
    assert img.format == "PNG" and f"{img.width}x{img.height}" == size


async def test_dalle3_returns_a_revised_prompt(server, http):
    """dall-e-3 with response_format b64_json returns its sizes and a revised prompt."""
    status, body, _ = await generate(
        http, server, model="dall-e-3", size="1792x1024", response_format="b64_json"
    )
    assert status == 200 and decode(body).size == (1792, 1024)
    assert "a red kettle" in body["data"][0]["revised_prompt"]


@pytest.mark.parametrize("field", ["image", "image[]"])
async def test_edits_place_the_input_photo_on_a_backdrop(server, http, field):
    """A multipart edit returns the photo staged on a generated scene, in the requested size."""
    form = aiohttp.FormData()
    form.add_field(field, png(200, 300, (10, 120, 200)), filename="p.png", content_type="image/png")
    for key, value in {"prompt": "kettle on a table", "model": "gpt-image-1", "size": "1024x1536"}.items():
        form.add_field(key, value)
    async with http.post(f"{server.base_url}/images/edits", data=form, headers=AUTH) as resp:
        assert resp.status == 200
        img = decode(await resp.json()).convert("RGB")
    assert img.size == (1024, 1536)
    assert img.getpixel((512, 1000)) == (10, 120, 200)  # the photo, scaled up, stands here
    assert img.getpixel((20, 20)) != (10, 120, 200)  # and a backdrop surrounds it
    assert server.stats.recent[-1]["images"] == [
        {"format": "PNG", "width": 200, "height": 300, "content_type": "image/png"}
    ]


async def test_edits_refuse_uploads_that_are_not_png_jpeg_or_webp(server, http):
    """As OpenAI does: the upload's mimetype must be image/png, image/jpeg or image/webp."""
    form = aiohttp.FormData()
    form.add_field("image", png(20, 20, (1, 2, 3)), filename="p.gif", content_type="image/gif")
    form.add_field("prompt", "kettle")
    async with http.post(f"{server.base_url}/images/edits", data=form, headers=AUTH) as resp:
        assert resp.status == 400
        error = (await resp.json())["error"]
    assert error["param"] == "image" and "image/gif" in error["message"]


async def test_identical_edits_are_rendered_once(server, http, monkeypatch):
    """The fake is deterministic, so a repeated request is answered from its cache, identically."""
    renders = []
    real = image_scenes._compose
    monkeypatch.setattr(image_scenes, "_compose", lambda *a: renders.append(a) or real(*a))
    bodies = []
    for _ in range(2):
        form = aiohttp.FormData()
        form.add_field("image", png(64, 64, (9, 8, 7)), filename="p.png", content_type="image/png")
        form.add_field("prompt", "identical kettle")
        async with http.post(f"{server.base_url}/images/edits", data=form, headers=AUTH) as resp:
            bodies.append((await resp.json())["data"][0]["b64_json"])
    assert bodies[0] == bodies[1] and len(bodies[0]) > 1000
    assert len(renders) == 1


async def test_missing_or_wrong_bearer_is_401_without_echoing_the_key(http):
    """No Authorization header, or the wrong key when one is required, is a 401 in OpenAI's error shape."""
    async with ImageAPIServer(api_key="sk-right") as server:
        async with http.post(f"{server.base_url}/images/generations", json={"prompt": "x"}) as resp:
            assert resp.status == 401
            assert (await resp.json())["error"]["code"] == "invalid_api_key"
        headers = {"Authorization": "Bearer sk-wrong"}
        async with http.post(
            f"{server.base_url}/images/generations", json={"prompt": "x"}, headers=headers
        ) as resp:
            assert resp.status == 401 and "sk-wrong" not in await resp.text()


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ({"size": "800x600"}, "size", "invalid_value"),
        ({"response_format": "b64_json"}, "response_format", "unknown_parameter"),
        ({"prompt": ""}, "prompt", "missing_required_parameter"),
        ({"model": "dall-e-3", "size": "1536x1024", "response_format": "b64_json"}, "size", "invalid_value"),
        ({"quality": "hd"}, "quality", "invalid_value"),
        ({"output_format": "jpeg", "output_compression": 101}, "output_compression", "invalid_value"),
        ({"model": "dall-e-3", "response_format": "b64_json", "output_compression": 90}, "output_compression",
         "invalid_value"),
    ],
)
async def test_requests_the_real_api_refuses_are_400(server, http, body, param, code):
    """Sizes, options and models are validated like the real API, with param and code in the error."""
    status, reply, _ = await generate(http, server, **body)
    assert status == 400
    assert reply["error"]["param"] == param and reply["error"]["code"] == code
    assert reply["error"]["type"] == "invalid_request_error" and reply["error"]["message"]


async def test_injected_faults_are_served_in_order_then_counted(server, http):
    """fail_next serves 429 (with Retry-After) and 500 in order, then normal service; /_stats counts them."""
    control = {"fail_next": [{"status": 429, "retry_after": 2}, {"status": 500}]}
    async with http.post(f"{server.url}/_control", json=control) as resp:
        assert resp.status == 200 and len((await resp.json())["fail_next"]) == 2
    status, body, headers = await generate(http, server)
    assert (status, headers["Retry-After"], body["error"]["code"]) == (429, "2", "rate_limit_exceeded")
    status, body, _ = await generate(http, server)
    assert status == 500 and body["error"]["type"] == "server_error"
    status, _, _ = await generate(http, server)
    assert status == 200
    async with http.get(f"{server.url}/_stats") as resp:
        stats = await resp.json()
    assert stats["requests"] == {"generations": 3}
    assert stats["outcomes"]["generations"] == {"429": 1, "500": 1, "200": 1}


@pytest.mark.parametrize(
    ("model", "code"), [("gpt-image-1", "moderation_blocked"), ("dall-e-3", "content_policy_violation")]
)
async def test_content_policy_refusal(server, http, model, code):
    """A prompt holding a configured word is refused with 400 and the model's content-policy code."""
    server.faults.update({"content_policy_when_prompt_contains": ["KETTLE"]})
    extra = {"response_format": "b64_json"} if model == "dall-e-3" else {}
    status, body, _ = await generate(http, server, model=model, **extra)
    assert status == 400 and body["error"]["code"] == code
    assert "safety system" in body["error"]["message"]


async def test_hang_outlasts_the_client_and_frees_the_handler(server, http):
    """hang_next holds a request open; a client that gives up is counted as cancelled."""
    server.faults.update({"hang_next": 1, "hang_seconds": 30})
    with pytest.raises(asyncio.TimeoutError):
        async with asyncio.timeout(0.3):
            await generate(http, server)
    for _ in range(50):  # the server notices the closed connection asynchronously
        if server.stats.in_flight == 0:
            break
        await asyncio.sleep(0.02)
    assert server.stats.to_dict()["outcomes"]["generations"] == {"hang": 1, "cancelled": 1}
    status, _, _ = await generate(http, server)
    assert status == 200  # only the next one hung


async def test_control_rejects_unknown_switches_and_reset_restores_start_up(http):
    """Typos in /_control are 400; /_reset brings back the start-up switches and clears counters."""
    async with ImageAPIServer() as server:
        server.faults.update({"latency": 0.0})
        async with http.post(f"{server.url}/_control", json={"latnecy": 5}) as resp:
            assert resp.status == 400
        async with http.post(f"{server.url}/_control", json={"fail_rate": 1.0}) as resp:
            assert resp.status == 200
        assert (await generate(http, server))[0] == 500
        async with http.post(f"{server.url}/_reset") as resp:
            reset = await resp.json()
        assert reset["faults"]["fail_rate"] == 0.0 and reset["stats"]["requests"] == {}
        assert (await generate(http, server))[0] == 200


async def test_sustains_100_concurrent_slow_requests(server):
    """With 1 s latency, 100 concurrent requests all finish in about a second (sleeps, not blocking)."""
    server.faults.update({"latency": 1.0})
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        await generate(http, server)  # warm the image cache
        started = time.monotonic()
        results = await asyncio.gather(*(generate(http, server) for _ in range(100)))
        elapsed = time.monotonic() - started
    assert all(status == 200 for status, _, _ in results)
    assert server.stats.max_in_flight >= 100 - 5
    assert elapsed < 3.0


async def test_cli_prints_its_url_and_serves_until_sigterm(http):
    """`python -m localdev.image_api --port 0` prints the base URL, serves, and exits on SIGTERM."""
    env = {**os.environ, "IMAGE_API_LATENCY": "0.05"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "localdev.image_api", "--port", "0", "--content-policy-word", "forbidden",
        stdout=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 15)).decode()
        base_url = line.strip().rsplit(" ", 1)[-1]
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
        payload = {"model": "gpt-image-1", "prompt": "forbidden thing"}
        async with http.post(f"{base_url}/images/generations", json=payload, headers=AUTH) as resp:
            assert resp.status == 400 and (await resp.json())["error"]["code"] == "moderation_blocked"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
