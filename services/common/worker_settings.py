"""Settings of a queue worker process (one class per service, each with its own prefix)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["WorkerSettings"]


class WorkerSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    max_in_flight: int = Field(default=10, ge=1, le=1000)
    wait_time_seconds: int = Field(default=20, ge=0, le=20)
    shutdown_deadline: float = Field(default=20.0, ge=0, le=28, description="< ECS's 30 s stop timeout")
    backoff_base: float = Field(default=2.0, gt=0)
    backoff_max: float = Field(default=300.0, gt=0)
    health_file: Path = Path("/tmp/productshot-worker.health")
