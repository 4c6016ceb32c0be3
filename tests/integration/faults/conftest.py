"""Fixtures of the fault-injection tests: the real local AWS and services, with knobs.

Services run as separate processes (as in production); the image API and the shop run in
a thread of the test process. Visibility timeouts and job leases are shortened through
``SCRAPER_VISIBILITY_TIMEOUT`` / ``RENDERER_VISIBILITY_TIMEOUT`` so a dead worker's job
comes back in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest

from tests.integration.conftest import (
    Services,
    log_dir_for,
    purge_queues,
    service_env,
    start_services,
)
from tests.integration.faults.harness import BackgroundServers

LEASE_SECONDS = "8"

StartStack = Callable[..., Services]


# DynamoDB comes from scripts/local_aws.sh's serialised moto (localdev/atomic_moto.py): these
# tests race conditional writes on purpose, and moto's threaded server is not atomic.

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
    logs = log_dir_for(request)

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
        "FETCH_RETRY_ATTEMPTS": "2",
        "FETCH_RETRY_BASE_DELAY": "0.1",
        "SCRAPER_BACKOFF_MAX": "4",
        "RENDERER_BACKOFF_MAX": "4",
        "PRODUCTSHOT_LOG_LEVEL": "info",
        "API_RATE_LIMIT_PER_SECOND": "0",  # bursts come from one test client
    }
    base.update(extra)
    return service_env(aws_env, tmp, **base)
