"""Settings of a queue worker process (one class per service, each with its own prefix)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["WorkerSettings"]


class WorkerSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    max_in_flight: int = Field(default=10, ge=1, le=1000)
    batch_size: int = Field(default=10, ge=1, le=10)
    wait_time_seconds: int = Field(default=20, ge=0, le=20)
    shutdown_deadline: float = Field(default=20.0, ge=0, le=28, description="< ECS's 30 s stop timeout")
    backoff_base: float = Field(default=2.0, gt=0)
    backoff_max: float = Field(default=300.0, gt=0)
    health_file: Path = Path("/tmp/productshot-worker.health")
    # None: the queue's visibility timeout from infra/topology.json, which is also the job
    # lease. Tests shorten both so a killed worker's job comes back in seconds, not minutes.
    visibility_timeout: int | None = Field(default=None, ge=2, le=43_200)
    # Per-request read timeout of AWS calls other than the long poll (which gets its wait
    # time on top): a stalled endpoint costs this long, not the SDK's 60 s default.
    aws_read_timeout: float = Field(default=15.0, gt=0)
    aws_connect_timeout: float = Field(default=3.0, gt=0)
