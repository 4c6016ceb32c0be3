"""Fixtures for the integration tests: the real local AWS, real services, real HTTP servers.

Nothing here mocks AWS. The session starts LocalStack + moto through scripts/local_aws.sh
when they are not running already (and stops them afterwards), bootstraps the topology,
and starts the three services as separate processes, exactly as `make up` does.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from tests.integration.pages import PageServer

ROOT = Path(__file__).resolve().parents[2]
RUN_DIR = Path(os.environ.get("RUN_DIR", ROOT / ".run"))
pytestmark = pytest.mark.integration


def _load_env_file(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


@pytest.fixture(scope="session")
def aws_env() -> Iterator[dict[str, str]]:
    """The local AWS's SDK variables, set in this process too; started here if needed."""
    status = subprocess.run([str(ROOT / "scripts/local_aws.sh"), "status"], capture_output=True, text=True)
    started_here = "localstack: running" not in status.stdout
    subprocess.run([str(ROOT / "scripts/local_aws.sh"), "start"], check=True)
    env = _load_env_file(RUN_DIR / "aws.env")
    os.environ.update(env)
    subprocess.run([sys.executable, "-m", "infra.bootstrap", "--api-key", "itest:itest-key",
                    "--api-key", "other:other-key"], check=True,
                   cwd=ROOT, env={**os.environ}, stdout=subprocess.DEVNULL)
    yield env
    if started_here:
        subprocess.run([str(ROOT / "scripts/local_aws.sh"), "stop"], check=False)


@pytest.fixture(scope="session")
def boto(aws_env: dict[str, str]) -> Any:
    """Plain boto3 clients for the tests' own assertions."""
    session = boto3.session.Session()

    @dataclass
    class Clients:
        sqs: Any = session.client("sqs")
        s3: Any = session.client("s3")
        dynamodb: Any = session.client("dynamodb")
        events: Any = session.client("events")
        ssm: Any = session.client("ssm")

    return Clients()


def purge_queues(sqs: Any) -> None:
    for url in sqs.list_queues().get("QueueUrls", []):
        try:
            sqs.purge_queue(QueueUrl=url)
        except sqs.exceptions.ClientError:
            pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def log_dir_for(request: pytest.FixtureRequest) -> Path:
    """Service logs of a test module, kept under .run/test-logs/ for reading after a failure."""
    path = RUN_DIR / "test-logs" / request.node.name.replace("/", "_").replace("::", "-")
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.log"):
        old.unlink()
    return path


@dataclass
class Services:
    api: str
    procs: dict[str, subprocess.Popen[bytes]]
    logs: Path

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> float:
        """Signal one service and wait; returns how long it took to exit."""
        proc = self.procs[name]
        started = time.monotonic()
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return time.monotonic() - started

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")


def service_env(aws_env: dict[str, str], tmp: Path, **extra: str) -> dict[str, str]:
    prefixes = ("FETCH_", "SCRAPER_", "RENDERER_", "API_", "BATCH_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(aws_env)
    env.update({
        "FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
        "SCRAPER_BACKOFF_BASE": "0.5", "RENDERER_BACKOFF_BASE": "0.5",
        # Short polls: a stopped worker's long poll stays open in LocalStack for its whole wait
        # and takes the next message (hidden then for the visibility timeout, 300 s for batches).
        "SCRAPER_WAIT_TIME_SECONDS": "1", "RENDERER_WAIT_TIME_SECONDS": "1", "BATCH_WAIT_TIME_SECONDS": "1",
        "SCRAPER_HEALTH_FILE": str(tmp / "scraper.health"), "RENDERER_HEALTH_FILE": str(tmp / "renderer.health"),
        "PYTHONUNBUFFERED": "1",
        # The seed's keyless clients, as these tests play them: the local-only switch (the
        # API listens on loopback here); tests of the keyed default set it back to true.
        "API_SEED_REQUIRE_KEY": "false",
        # The shared limiter stays on (every request counts in the table) but never refuses
        # these tests' bursts: no daily job quota (0), a request limit far above them; the
        # tests of the limits (api/test_shared_limits.py) set their own.
        "API_LIMIT_REQUESTS_PER_SECOND": "100000", "API_LIMIT_JOBS_PER_DAY": "0",
        "API_LIMIT_AUTH_FAILURES_PER_MINUTE": "100000",
        # Every test shop is one host (127.0.0.1:port): a shop's pace far above these tests'
        # bursts; the politeness tests (test_politeness.py) set their own.
        "SCRAPER_HOST_MAX_IN_FLIGHT": "16", "SCRAPER_HOST_MAX_IN_FLIGHT_LIMIT": "16",
        "SCRAPER_HOST_REQUESTS_PER_SECOND": "50", "SCRAPER_HOST_REQUESTS_PER_SECOND_LIMIT": "50",
        "API_BATCH_MAX_IN_FLIGHT_PER_HOST": "16", "API_BATCH_MAX_REQUESTS_PER_SECOND_PER_HOST": "50",
    })
    env.update(extra)
    return env


def start_services(env: dict[str, str], logs: Path, names: tuple[str, ...] = ("api", "scraper", "renderer"),
                   api_port: int | None = None) -> Services:
    logs.mkdir(parents=True, exist_ok=True)
    port = api_port or free_port()
    env = {**env, "API_PORT": str(port)}
    procs = {}
    for name in names:
        out = open(logs / f"{name}.log", "ab")  # noqa: SIM115 - owned by the process
        procs[name] = subprocess.Popen([sys.executable, "-m", f"services.{name}"], cwd=ROOT, env=env,
                                       stdout=out, stderr=subprocess.STDOUT)
    services = Services(api=f"http://127.0.0.1:{port}", procs=procs, logs=logs)
    if "api" in names:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{services.api}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if procs["api"].poll() is not None:
                raise RuntimeError(f"api exited:\n{services.log('api')}")
            time.sleep(0.1)
        else:
            raise RuntimeError(f"api never became healthy:\n{services.log('api')}")
    return services


@pytest.fixture(scope="module")
def pipeline(aws_env: dict[str, str], boto: Any, tmp_path_factory: pytest.TempPathFactory,
             request: pytest.FixtureRequest) -> Iterator[Services]:
    """The three services running against the local AWS, queues purged first."""
    purge_queues(boto.sqs)
    tmp = tmp_path_factory.mktemp("services")
    services = start_services(service_env(aws_env, tmp), log_dir_for(request),
                              names=("api", "scraper", "renderer", "batcher"))
    yield services
    for name in list(services.procs):
        services.stop(name)


@pytest.fixture
async def pages() -> AsyncIterator[PageServer]:
    """Product pages (and their photos) served over real HTTP on 127.0.0.1."""
    server = PageServer()
    await server.start()
    yield server
    await server.close()


async def two_products_and_a_page_without_one(
    api: str, pages: Any
) -> tuple[list[str], list[dict[str, Any]]]:
    """Three jobs through the seed route: two product pages that complete and a page without
    a product that fails; their ids and final views, in that order."""
    urls = [pages.add_product("mug", "Enamel Mug", "19.00"), pages.add_product("lamp", "Desk Lamp", "49.50")]
    pages.pages["about"] = "<!doctype html><html><head><title>About</title></head><body>No product</body></html>"
    async with httpx.AsyncClient(base_url=api, timeout=10) as client:
        ids = []
        for url in [*urls, f"{pages.base}/p/about"]:
            resp = await client.post("/generative-ai-images/generate", json={"productUrl": url})
            assert resp.status_code == 202, resp.text
            ids.append(resp.json()["jobId"])
        finals = [await wait_for_status(client, job_id, timeout=90) for job_id in ids]
    assert [f["status"] for f in finals] == ["completed", "completed", "failed"]
    return ids, finals


async def wait_for_status(client: httpx.AsyncClient, job_id: str, *, timeout: float = 60,
                          final: tuple[str, ...] = ("completed", "failed")) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        resp = await client.get(f"/generative-ai-images/status/{job_id}")
        body = resp.json()
        if body.get("status") in final:
            return body
        await asyncio.sleep(0.2)
    raise AssertionError(f"job {job_id} did not reach {final} in {timeout}s: {body}")
