"""Settings of the batch worker (env prefix ``BATCH_``): its queue consumer's (WorkerSettings:
``BATCH_MAX_IN_FLIGHT`` messages at once, ``BATCH_HEALTH_FILE`` ...) and the batch rules'."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.common.worker_settings import WorkerSettings

__all__ = ["BatchSettings"]


class BatchSettings(WorkerSettings):
    model_config = SettingsConfigDict(env_prefix="BATCH_", extra="ignore", frozen=True)

    health_file: Path = Path("/tmp/productshot-batcher.health")
    #: BATCH_MAX_IN_FLIGHT_PER_TENANT: unfinished batch jobs one tenant may have in the
    #: pipeline across all its batches (docs/batches.md, fair share).
    max_in_flight_per_tenant: int = Field(default=50, ge=1, le=10_000)
    #: BATCH_EXPAND_SLICE_SECONDS: how long one message expands a source before the worker
    #: sends itself ``continue`` (so one message never holds the queue's visibility timeout).
    expand_slice_seconds: float = Field(default=20.0, gt=0, le=240)
