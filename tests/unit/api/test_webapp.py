"""The web app's server side on fakes: its page and headers, /docs offline, a job's event
stream, and its images one by one or zipped."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from starlette.testclient import TestClient

from services.api.app import create_app
from services.api.docs_page import STATIC_DIR
from services.api.v1.job_stream import sse_event
from services.common.image_options import FORMAT_NAMES, STYLE_NAMES
from services.common.job import ImageRecord, Job
from services.common.job_states import JobStatus
from services.common.settings import CommonSettings
from tests.unit.api.fakes import fake_state

ACME = {"Authorization": "Bearer acme-key"}
GLOBEX = {"Authorization": "Bearer globex-key"}
_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture
def parts() -> Iterator[tuple[TestClient, Any]]:
    state, store, _, _ = fake_state()
    with TestClient(create_app(CommonSettings(), state.settings, state=state), raise_server_exceptions=False) as c:
        yield c, state


def _completed(state: Any, tenant: str = "acme") -> Job:
    """A completed job of ``tenant`` with a square JPEG and a story PNG stored."""
    images = []
    for fmt, kind, data in (("square", "image/jpeg", b"\xff\xd8jpeg" * 100), ("story", "image/png", b"png" * 50)):
        key = f"jobs/x/{fmt}"
        state.files.stored[(state.files.bucket, key)] = (data, kind)
        images.append(ImageRecord(fmt, key, state.files.bucket, kind, 10, 10, len(data), "jpeg"))
    job = Job.new(ttl_hours=1, status=JobStatus.COMPLETED, tenant=tenant, product={"name": "Kettle"}, images=images)
    state.store.jobs[job.jobId] = job
    return job


def test_the_app_page_offers_the_apis_choices_under_a_strict_policy(parts: Any) -> None:
    """/app lists every format and style, loads only this origin's files, and its policy
    forbids inline script, other origins and framing."""
    client, _ = parts
    resp = client.get("/app")
    assert resp.status_code == 200
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    page = resp.text
    assert {*FORMAT_NAMES, *STYLE_NAMES} <= set(re.findall(r'value="([a-z]+)"', page))
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []  # no inline script
    assert _EXTERNAL.search(page) is None


def test_the_docs_page_and_its_bundle_name_no_other_host() -> None:
    """/docs and the vendored Redoc bundle load nothing from a CDN (the logo is served here)."""
    state, *_ = fake_state()
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        resp = client.get("/docs")
        assert _EXTERNAL.search(resp.text) is None
        assert "script-src 'self';" in resp.headers["content-security-policy"]
        assert client.get("/static/redoc/logo-mini.svg").status_code == 200
    bundle = (STATIC_DIR / "redoc" / "redoc.standalone.js").read_text()
    assert "cdn.redoc.ly" not in bundle and "/static/redoc/logo-mini.svg" in bundle


def test_an_event_is_framed_as_text_event_stream() -> None:
    """One event: id, event name and a single data line, ended by a blank line."""
    assert sse_event("job", '{"a":1}', "1:t:pending") == 'id: 1:t:pending\nevent: job\ndata: {"a":1}\n\n'


def test_the_event_stream_of_a_finished_job_sends_it_once_and_ends(parts: Any) -> None:
    """A completed job's stream carries one job event with its status, then closes."""
    client, state = parts
    job = _completed(state)
    with client.stream("GET", f"/v1/jobs/{job.jobId}/events", headers=ACME) as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        body = "".join(resp.iter_text())
    assert body.count("event: job\n") == 1 and '"status":"completed"' in body


def test_another_tenants_job_has_no_stream_and_no_images(parts: Any) -> None:
    """Streams and images are the owner's only: another tenant gets the same 404 as a missing job."""
    client, state = parts
    job = _completed(state)
    for path in ("events", "images/square", "images.zip"):
        assert client.get(f"/v1/jobs/{job.jobId}/{path}", headers=GLOBEX).status_code == 404
    assert client.get(f"/v1/jobs/{job.jobId}/events").status_code == 401


def test_images_download_one_by_one_and_as_one_zip(parts: Any) -> None:
    """Each image comes back byte for byte with its type and a file name; the ZIP holds all of them."""
    client, state = parts
    job = _completed(state)
    square = client.get(f"/v1/jobs/{job.jobId}/images/square", headers=ACME)
    assert square.headers["content-type"] == "image/jpeg" and square.content == b"\xff\xd8jpeg" * 100
    assert f'productshot-{job.jobId[:8]}-square.jpg' in square.headers["content-disposition"]
    assert client.get(f"/v1/jobs/{job.jobId}/images/landscape", headers=ACME).status_code == 404
    zipped = client.get(f"/v1/jobs/{job.jobId}/images.zip", headers=ACME)
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    names = {info.filename: archive.read(info) for info in archive.infolist()}
    assert names == {
        f"productshot-{job.jobId[:8]}-square.jpg": b"\xff\xd8jpeg" * 100,
        f"productshot-{job.jobId[:8]}-story.png": b"png" * 50,
    }


def test_a_job_without_images_has_no_zip_yet(parts: Any) -> None:
    """Asking for the ZIP of an unfinished job is a 409 naming its status."""
    client, state = parts
    job = Job.new(ttl_hours=1, tenant="acme", productUrl="https://shop.example/p/1")
    state.store.jobs[job.jobId] = job
    resp = client.get(f"/v1/jobs/{job.jobId}/images.zip", headers=ACME)
    assert resp.status_code == 409 and resp.json()["jobStatus"] == "pending"


@contextmanager
def _quick(**settings: Any) -> Iterator[tuple[TestClient, Any]]:
    """The app with event streams that read their job every 10 ms."""
    state, *_ = fake_state(events_poll_seconds=0.01, **settings)
    with TestClient(create_app(CommonSettings(), state.settings, state=state)) as client:
        yield client, state


def test_the_stream_sends_each_change_of_a_running_job_until_it_ends() -> None:
    """A pending job's stream sends it at once, then again when it moves, and ends once it is completed."""
    with _quick() as (client, state):
        job = Job.new(ttl_hours=1, tenant="acme", productUrl="https://shop.example/p/1")
        state.store.jobs[job.jobId] = job
        statuses = []
        with client.stream("GET", f"/v1/jobs/{job.jobId}/events", headers=ACME) as resp:
            for line in resp.iter_lines():
                if line.startswith("data: "):
                    statuses.append(json.loads(line[6:])["status"])
                    if len(statuses) == 1:  # the job moves on while the stream is open
                        moved = _completed(state)
                        state.store.jobs[job.jobId] = replace(moved, jobId=job.jobId, updatedAt="2099-01-01T00:00:00Z")
        assert statuses == ["pending", "completed"]


def test_a_stream_cut_by_its_time_limit_ends_cleanly() -> None:
    """After its time limit the stream ends (the client reconnects); the job was sent first."""
    with _quick(events_max_seconds=0.1) as (client, state):
        job = Job.new(ttl_hours=1, tenant="acme", productUrl="https://shop.example/p/1")
        state.store.jobs[job.jobId] = job
        with client.stream("GET", f"/v1/jobs/{job.jobId}/events", headers=ACME) as resp:
            body = "".join(resp.iter_text())
        assert body.startswith("retry: 2000\n\n") and body.count("event: job\n") == 1
