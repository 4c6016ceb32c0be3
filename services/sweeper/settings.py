"""Sweeper settings (environment, prefix ``SWEEPER_``); the command line overrides them."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["SweeperSettings"]


class SweeperSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SWEEPER_", extra="ignore", frozen=True)

    interval: float = Field(default=60.0, gt=0, description="seconds between sweeps")
    # A job is stuck when its state has not changed for this long. Longer than a normal
    # queue backlog, or healthy jobs get re-driven (harmless, but noisy).
    stuck_after: float = Field(default=900.0, gt=0)
    max_redrives: int = Field(default=3, ge=0, description="re-drives without progress before failing")
    # Older than this (since creation) a job is failed even if a worker still holds it.
    give_up_after: float = Field(default=6 * 3600.0, gt=0)
    # A job held for a person's review (onUncertain: review) waits this long for an answer,
    # then fails. It must stay below the job TTL (24 h), or the record expires first.
    review_deadline_hours: float = Field(default=12.0, gt=0)
