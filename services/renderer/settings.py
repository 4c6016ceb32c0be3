"""Renderer worker settings (environment, prefix ``RENDERER_``); model settings: GenerationSettings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.common.worker_settings import WorkerSettings

__all__ = ["RendererSettings"]


class RendererSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="RENDERER_", extra="ignore", frozen=True)

    max_in_flight: int = Field(default=32, ge=1, le=1000)  # most of a job is waiting on the model
    health_file: Path = Path("/tmp/productshot-renderer.health")
    cache_control: str = "private, max-age=86400, immutable"
