"""Settings of the batch worker's rules (env prefix ``BATCH_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["BatchSettings"]


class BatchSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BATCH_", extra="ignore", frozen=True)

    #: BATCH_MAX_IN_FLIGHT_PER_TENANT: unfinished batch jobs one tenant may have in the
    #: pipeline across all its batches (docs/batches.md, fair share).
    max_in_flight_per_tenant: int = Field(default=50, ge=1, le=10_000)
