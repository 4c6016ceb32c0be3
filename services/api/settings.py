"""API settings (environment, prefix ``API_``), built once by the entry point."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["ApiSettings", "is_loopback"]


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _split_csv(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="API_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    presign_ttl_seconds: int = Field(default=900, ge=60, le=604800)
    max_url_length: int = 2048
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    #: POST /v1/batches (JSON or CSV): up to 10,000 items.
    batch_max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    #: The most a batch's ``politeness`` may ask of one shop: set equal to the scraper's
    #: SCRAPER_HOST_MAX_IN_FLIGHT_LIMIT / SCRAPER_HOST_REQUESTS_PER_SECOND_LIMIT (same defaults).
    batch_max_in_flight_per_host: int = Field(default=4, ge=1, le=16)
    batch_max_requests_per_second_per_host: float = Field(default=4.0, gt=0, le=50)

    #: The only way to run without API keys (local experiments): every caller is the anonymous
    #: tenant. Local only: refused unless ``host`` is a loopback address.
    auth_disabled: bool = False
    #: ``tenant:sha256hex,...``; when empty the keys come from the SSM parameter in topology.json.
    keys: SecretStr = SecretStr("")
    #: How often the SSM key list is read again (revocations and new keys, without a restart).
    keys_refresh_seconds: float = Field(default=30.0, ge=1, le=60)
    #: Every path that starts work needs a key. ``false`` (the seed's open behaviour, for local
    #: runs and old local clients) is refused unless ``host`` is a loopback address.
    seed_require_key: bool = True

    #: Token bucket per API key (anonymous seed callers: per client address) in each task:
    #: the cheap first line, before any shared counter is touched. 0 disables it.
    rate_limit_per_second: float = Field(default=20.0, ge=0)
    rate_limit_burst: int = Field(default=40, ge=1)
    #: Limits shared by every API task (counters in the jobs table); a key's own ``limits``
    #: override the first three. 0 disables one; ``shared_limits=false`` disables them all.
    shared_limits: bool = True
    limit_requests_per_second: float = Field(default=20.0, ge=0)
    limit_jobs_per_day: int = Field(default=1000, ge=0)
    #: Off by default: its check is a Query over the tenant's recent jobs on every accepted job.
    limit_jobs_in_flight: int = Field(default=0, ge=0)
    limit_auth_failures_per_minute: int = Field(default=10, ge=0)

    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()

    idempotency_ttl_hours: int = Field(default=24, ge=1, le=168)
    #: Bound on fetching the caller's product image in the request (it runs before the 202).
    image_fetch_timeout: float = Field(default=10.0, gt=0, le=60)
    #: Bound on each SQS send / EventBridge publish made while the client waits.
    handoff_timeout: float = Field(default=5.0, gt=0, le=30)
    #: Hand-offs of concurrent requests share one SendMessageBatch / PutEvents call of up to
    #: this many entries (1: one call per hand-off) ...
    handoff_batch_size: int = Field(default=10, ge=1, le=10)
    #: ... waiting at most this long for batch-mates.
    handoff_linger_ms: float = Field(default=3.0, ge=0, le=50)
    readiness_timeout: float = Field(default=2.0, gt=0, le=30)
    #: A job's event stream (the web app's progress) ends after this long; the client reconnects.
    events_max_seconds: float = Field(default=300.0, gt=0, le=3600)
    #: How often an open event stream reads its job (one GetItem each time).
    events_poll_seconds: float = Field(default=1.0, ge=0.01, le=30)

    @model_validator(mode="after")
    def _open_only_on_loopback(self) -> ApiSettings:
        # A deployed API listens on 0.0.0.0: an open switch there would be paid work for anyone.
        opened = [name for name, on in (("API_AUTH_DISABLED=true", self.auth_disabled),
                                         ("API_SEED_REQUIRE_KEY=false", not self.seed_require_key)) if on]
        if opened and not is_loopback(self.host):
            raise ValueError(
                f"{' and '.join(opened)} is for local runs only; API_HOST={self.host} is not loopback"
            )
        return self

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> Any:
        return _split_csv(value)
