"""The seed's POST reads its body with the same streaming cap as /v1: it stops at the first byte over."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from services.api.app import create_app
from services.common.settings import CommonSettings
from tests.unit.api.fakes import fake_state

CHUNK = b" " * 1024
URL = "/generative-ai-images/generate"


@pytest.fixture
def app() -> Iterator[Any]:
    state, _, _, _ = fake_state(seed_require_key=False)  # the seed's keyless clients (local switch)
    application = create_app(CommonSettings(), state.settings, state=state)
    with TestClient(application):  # runs the lifespan; the test then speaks ASGI itself
        yield application


async def _post_endless(app: Any, chunks: int) -> tuple[int, dict[str, Any], int]:
    """POST ``chunks`` KB without Content-Length; the status, the body and how many chunks were read."""
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": CHUNK, "more_body": read < chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": URL, "raw_path": URL.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"),
                    (b"authorization", b"Bearer acme-key")],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body), read


async def test_an_endless_body_without_length_is_refused_after_64_kb_not_read_whole(app: Any) -> None:
    """A 10 MB body sent without Content-Length gets the seed's 413 after about 65 chunks of 1 KB."""
    status, body, read = await _post_endless(app, chunks=10 * 1024)
    assert (status, body) == (413, {"message": "Request body is larger than 64 KB"})
    assert read <= 66, f"read {read} KB before refusing"


def test_a_declared_oversized_body_is_refused_before_reading(app: Any) -> None:
    """A Content-Length over 64 KB is refused at once, in the seed's message shape."""
    with TestClient(app) as client:
        resp = client.post(URL, content=b" " * (64 * 1024 + 1), headers={"Content-Type": "application/json"})
    assert (resp.status_code, resp.json()) == (413, {"message": "Request body is larger than 64 KB"})
