"""Scraper settings (environment, prefix ``SCRAPER_``); fetch limits live in FetchSettings."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from services.common.worker_settings import WorkerSettings

__all__ = ["ScraperSettings"]


class ScraperSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="SCRAPER_", extra="ignore", frozen=True)

    health_file: Path = Path("/tmp/productshot-scraper.health")
    max_source_images: int = 3  # product photos tried, best first, for the renderer
