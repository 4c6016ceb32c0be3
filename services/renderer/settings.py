"""Renderer worker settings (environment, prefix ``RENDERER_``); model settings: GenerationSettings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
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
    # The price against the page (quality/price_recheck.py, docs/rendering.md): facts read
    # longer ago than this many seconds are re-read from the shop's page before the image
    # model is called. 0 re-reads every scraped job; "off" never re-reads.
    price_recheck_after_seconds: float | None = Field(default=900.0, ge=0)

    @field_validator("price_recheck_after_seconds", mode="before")
    @classmethod
    def _off_is_none(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ("off", "never", ""):
            return None
        return value
