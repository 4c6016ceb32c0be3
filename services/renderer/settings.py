"""Renderer worker settings (environment, prefix ``RENDERER_``); model settings: GenerationSettings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.common.worker_settings import WorkerSettings

__all__ = ["RendererSettings"]


class RendererSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="RENDERER_", extra="ignore", frozen=True)

    # Most of a job is waiting on the model: one small task keeps ~100 such waits open
    # (about 250 MB at peak, see bench/bench_renderer_capacity.py).
    max_in_flight: int = Field(default=100, ge=1, le=1000)
    health_file: Path = Path("/tmp/productshot-renderer.health")
    cache_control: str = "private, max-age=86400, immutable"
    # The quality gate (services/renderer/quality): text read back by OCR, product fidelity.
    # Off only to measure what it costs, or where tesseract cannot be installed.
    quality_gate: bool = True
