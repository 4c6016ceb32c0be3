"""Fixtures of the fault-injection tests: the real local AWS and services, with knobs.

Services run as separate processes (as in production); the image API and the shop run in
a thread of the test process. Visibility timeouts and job leases are shortened through
``SCRAPER_VISIBILITY_TIMEOUT`` / ``RENDERER_VISIBILITY_TIMEOUT`` so a dead worker's job
comes back in seconds.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest

from tests.integration.conftest import (
    ROOT,
    RUN_DIR,
    Services,
    _load_env_file,
    free_port,
    purge_queues,
    service_env,
    start_services,
    test_log_dir,
)
from tests.integration.faults.harness import BackgroundServers

LEASE_SECONDS = "8"

StartStack = Callable[..., Services]


@pytest.fixture(scope="session")
def aws_env() -> Iterator[dict[str, str]]:
    """LocalStack as for every integration test, but DynamoDB from a moto that applies one
    request at a time (see atomic_moto.py): these tests race conditional writes on purpose."""
    status = subprocess.run([str(ROOT / "scripts/local_aws.sh"), "status"], capture_output=True, text=True)
    started_here = "localstack: running" not in status.stdout
    subprocess.run([str(ROOT / "scripts/local_aws.sh"), "start"], check=True)
    env = _load_env_file(RUN_DIR / "aws.env")
    port = free_port()
    moto_log = open(RUN_DIR / "atomic-moto.log", "ab")  # noqa: SIM115 - owned by the process
    moto = subprocess.Popen(
        [
            str(ROOT / ".localstack/venv/bin/python"),
            str(Path(__file__).with_name("atomic_moto.py")),
            str(port),
        ],
        stdout=moto_log,
        stderr=subprocess.STDOUT,
    )
    env["AWS_ENDPOINT_URL_DYNAMODB"] = f"http://127.0.0.1:{port}"
    _wait_for_port(port)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "-m", "infra.bootstrap", "--api-key", "itest:itest-key"],
        check=True,
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
    )
    yield env
    moto.terminate()
    moto.wait(timeout=10)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    if started_here:
        subprocess.run([str(ROOT / "scripts/local_aws.sh"), "stop"], check=False)


def _wait_for_port(port: int) -> None:
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"atomic moto did not listen on {port}")


@pytest.fixture(scope="session")
def boto(aws_env: dict[str, str]) -> Any:
    """boto3 clients on this package's endpoints (not whatever another package's fixture set)."""
    dynamo = aws_env["AWS_ENDPOINT_URL_DYNAMODB"]
    clients = {
        name: boto3.client(
            name,
            endpoint_url=dynamo if name == "dynamodb" else aws_env["AWS_ENDPOINT_URL"],
            region_name=aws_env["AWS_REGION"],
        )
        for name in ("sqs", "s3", "dynamodb", "events")
    }
    return SimpleNamespace(**clients)


@pytest.fixture(scope="session")
def servers() -> Iterator[BackgroundServers]:
    running = BackgroundServers().start()
    yield running
    running.stop()


@pytest.fixture
def stack(
    aws_env: dict[str, str],
    boto: Any,
    servers: BackgroundServers,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> Iterator[StartStack]:
    """Start services with extra env; clean queues and image-API switches first; stop all after."""
    purge_queues(boto.sqs)
    servers.reset_image_api()
    started: list[Services] = []
    logs = test_log_dir(request)

    def start(names: tuple[str, ...] = ("api", "scraper", "renderer"), **extra: str) -> Services:
        env = fault_env(aws_env, tmp_path, servers, **extra)
        services = start_services(env, logs, names)
        started.append(services)
        return services

    yield start
    for services in started:
        for name in services.procs:
            services.stop(name)


def fault_env(aws_env: dict[str, str], tmp: Path, servers: BackgroundServers, **extra: str) -> dict[str, str]:
    base = {
        "RENDERER_OPENAI_API_KEY": "anything",
        "RENDERER_OPENAI_BASE_URL": servers.image_api.base_url,
        "RENDERER_BACKOFF_BASE_SECONDS": "0.2",
        "RENDERER_BACKOFF_MAX_SECONDS": "1",
        "RENDERER_MAX_RETRIES": "2",
        "SCRAPER_VISIBILITY_TIMEOUT": LEASE_SECONDS,
        "RENDERER_VISIBILITY_TIMEOUT": LEASE_SECONDS,
        "SCRAPER_RETRY_ATTEMPTS": "2",
        "SCRAPER_RETRY_BASE_DELAY": "0.1",
        "SCRAPER_BACKOFF_MAX": "4",
        "RENDERER_BACKOFF_MAX": "4",
        "PRODUCTSHOT_LOG_LEVEL": "info",
        "API_RATE_LIMIT_PER_SECOND": "0",  # bursts come from one test client
    }
    base.update(extra)
    return service_env(aws_env, tmp, **base)
