"""A tiny HTTP server on 127.0.0.1 speaking the jobs and batches contract, for the CLI tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

IMAGE = b"\xff\xd8\xff\xe0fake-jpeg-bytes\xff\xd9"
JOB_STATES = ["pending", "scraping", "scraped", "rendering", "completed"]


@dataclass
class FakeState:
    base: str = ""
    job_polls: int = 0
    fail_job: bool = False
    throttle_next: int = 0  # answer this many requests 429 (Retry-After: 0) first
    batch_polls: int = 0
    batch_posts: list[dict[str, Any]] = field(default_factory=list)
    auth_seen: list[tuple[str, str | None]] = field(default_factory=list)
    batch_404: bool = False
    short_image: bool = False  # the image URL serves fewer bytes than announced
    source_note: str | None = None  # the batch's sourceNote (a source cut short by the daily quota)

    def job(self) -> dict[str, Any]:
        status = JOB_STATES[min(self.job_polls, len(JOB_STATES) - 1)]
        if self.fail_job and status == "completed":
            status = "failed"
        job: dict[str, Any] = {"jobId": "j1", "status": status, "product": None, "error": None, "images": []}
        if status in ("scraped", "rendering", "completed"):
            job["product"] = {"name": "Kettle", "price": "19.99", "currency": "EUR"}
        if status == "failed":
            job["error"] = {"code": "render_failed", "reason": "model down", "stage": "rendering"}
        if status == "completed":
            job["images"] = [{"format": "square", "contentType": "image/jpeg", "size": len(IMAGE),
                              "url": f"{self.base}/s3/j1-square?X-Amz-Signature=abc"}]
        return job

    def batch(self) -> dict[str, Any]:
        done = min(self.batch_polls * 2, 4)
        failed = 1 if done == 4 else 0
        return {"batchId": "b1", "status": "completed" if done == 4 else "running", "total": 4,
                "done": done, "counts": {"completed": done - failed, "failed": failed}, "progress": done / 4,
                "sourceNote": self.source_note}


class _Handler(BaseHTTPRequestHandler):
    state: FakeState

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: Any, ctype: str = "application/json", headers: dict[str, str] | None = None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _problem(self, status: int, detail: str, **extra: Any) -> None:
        self._send(status, {"type": "about:blank", "status": status, "detail": detail, **extra},
                   "application/problem+json")

    def _route(self, method: str) -> None:
        st = self.state
        st.auth_seen.append((self.path.split("/")[1], self.headers.get("Authorization")))
        if st.throttle_next > 0 and not self.path.startswith("/s3/"):
            st.throttle_next -= 1
            self._send(429, {"status": 429, "detail": "slow down"}, "application/problem+json", {"Retry-After": "0"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0]
        if method == "POST" and path == "/v1/jobs":
            body = json.loads(raw)
            if body.get("formats") == ["bogus"]:
                self._problem(422, "The request has invalid fields: formats.",
                              errors=[{"field": "formats", "message": "unknown format"}])
                return
            self._send(202, st.job())
        elif method == "GET" and path == "/v1/jobs/j1":
            job = st.job()
            st.job_polls += 1
            self._send(200, job)
        elif method == "GET" and path.startswith("/v1/jobs/"):
            self._problem(404, "No such job.")
        elif path.startswith("/s3/"):
            self._send(200, IMAGE[:-2] if st.short_image else IMAGE, "image/jpeg")
        elif st.batch_404 and path.startswith("/v1/batches"):
            self._problem(404, "Not Found")
        elif method == "POST" and path == "/v1/batches":
            query = dict(parse_qsl(self.path.partition("?")[2]))
            st.batch_posts.append({"ctype": self.headers.get("Content-Type"), "body": raw,
                                   "key": self.headers.get("Idempotency-Key"), "query": query})
            self._send(202, {**st.batch(), "status": "running", "done": 0})
        elif method == "GET" and path == "/v1/batches/b1":
            view = st.batch()
            st.batch_polls += 1
            self._send(200, view)
        elif method == "GET" and path == "/v1/batches/b1/results":
            self._send(200, b"row,productUrl,jobId,status\n1,https://a/1,j1,completed\n", "text/csv")
        else:
            self._problem(404, "Not Found")

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")


@contextmanager
def serve() -> Iterator[FakeState]:
    state = FakeState()
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
