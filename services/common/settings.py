"""Typed settings, read from environment variables once, at process start-up.

Only entry points (``services.<name>.__main__``) build settings; everything else receives
the object. Secrets are ``SecretStr`` so they never reach a log line by accident.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.topology import load_topology

__all__ = ["CommonSettings"]

_TOPOLOGY = load_topology()


class CommonSettings(BaseSettings):
    """What every service needs to find its AWS resources.

    AWS endpoints, region and credentials come from the standard SDK variables
    (``AWS_REGION``, ``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_DYNAMODB`` ...), which
    aiobotocore reads itself; nothing here knows whether it talks to LocalStack.
    """

    model_config = SettingsConfigDict(env_prefix="PRODUCTSHOT_", extra="ignore", frozen=True)

    aws_region: str = Field(default="us-east-1", validation_alias="AWS_REGION")
    jobs_table: str = _TOPOLOGY["table"]["name"]
    bucket: str = _TOPOLOGY["bucket"]["name"]
    event_bus: str = _TOPOLOGY["bus"]["name"]
    scrape_queue: str = "scrape-requests"
    render_queue: str = "render-requests"
    api_keys_parameter: str = _TOPOLOGY["ssm"]["api_keys"]["name"]
    job_ttl_hours: int = Field(default=_TOPOLOGY["job_ttl_hours"], ge=1)
    batches_table: str = _TOPOLOGY["batches_table"]["name"]
    batch_queue: str = "batch-work"
    #: A batch, its rows, its jobs' records and its ZIP live as long as its images (the bucket's
    #: lifecycle expiry), so a batch collected days later still answers.
    batch_ttl_hours: int = Field(default=int(_TOPOLOGY["bucket"]["lifecycle_expiration_days"]) * 24, ge=1)
    log_level: str = "info"
    log_format: str = Field(default="json", pattern="^(json|console)$")
    metrics: bool = True  # EMF metric lines on stdout (services/common/metrics.py)
