"""The local stack a pipeline benchmark runs on: local AWS, the shop, the image API, the services.

Shared by bench_e2e.py and bench_renderer_capacity.py; uses the integration tests' helpers
so the benchmarks start the services exactly as the tests do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.conftest import (  # noqa: E402
    RUN_DIR,
    Services,
    _load_env_file,
    purge_queues,
    service_env,
    start_services,
)
from tests.integration.faults.harness import BackgroundServers  # noqa: E402

__all__ = ["Bench", "bench_stack", "RUN_DIR"]


class Bench:
    def __init__(self, aws_env: dict[str, str], servers: BackgroundServers) -> None:
        self.aws_env = aws_env
        self.servers = servers
        self.dynamodb = boto3.client(
            "dynamodb", endpoint_url=aws_env["AWS_ENDPOINT_URL_DYNAMODB"], region_name=aws_env["AWS_REGION"]
        )
        self.sqs = boto3.client(
            "sqs", endpoint_url=aws_env["AWS_ENDPOINT_URL"], region_name=aws_env["AWS_REGION"]
        )
        self._started: list[Services] = []
        self._tmp = Path(tempfile.mkdtemp(prefix="bench-"))

    def start(self, names: tuple[str, ...], **extra: str) -> Services:
        env = service_env(
            self.aws_env,
            self._tmp,
            **{
                "RENDERER_OPENAI_API_KEY": "anything",
                "RENDERER_OPENAI_BASE_URL": self.servers.image_api.base_url,
                "PRODUCTSHOT_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "warning"),
                "API_RATE_LIMIT_PER_SECOND": "0",
                **extra,
            },
        )
        logs = RUN_DIR / "bench-logs"
        for name in names:  # start_services appends: keep only this run's lines
            (logs / f"{name}.log").unlink(missing_ok=True)
        services = start_services(env, logs, names)
        self._started.append(services)
        return services

    def stop_all(self) -> None:
        for services in self._started:
            for name in services.procs:
                services.stop(name)


@contextmanager
def bench_stack() -> Iterator[Bench]:
    """Local AWS started (and left running when it already ran), topology bootstrapped."""
    script = str(ROOT / "scripts/local_aws.sh")
    was_running = (
        "localstack: running" in subprocess.run([script, "status"], capture_output=True, text=True).stdout
    )
    subprocess.run([script, "start"], check=True)
    aws_env = _load_env_file(RUN_DIR / "aws.env")
    os.environ.update(aws_env)
    subprocess.run(
        [sys.executable, "-m", "infra.bootstrap", "--api-key", "bench:bench-key"],
        check=True,
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
    )
    servers = BackgroundServers().start()
    bench = Bench(aws_env, servers)
    purge_queues(bench.sqs)
    try:
        yield bench
    finally:
        bench.stop_all()
        servers.stop()
        if not was_running:
            subprocess.run([script, "stop"], check=False)
