"""How the renderer talks to the image model, read once from ``RENDERER_*`` variables.

The API key is a ``SecretStr``: its ``repr`` and ``str`` are masked, so neither this
object nor a log line that prints it can leak the key. In AWS the key is not in the
environment at all: ``RENDERER_OPENAI_API_KEY_SSM_PARAMETER`` names a SecureString that
``factory.build_generator`` reads at start-up.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.image_options import check_style

__all__ = ["GenerationSettings", "ImageModelName", "GenerationMode", "Quality"]

ImageModelName = Literal["gpt-image-1", "dall-e-3"]
GenerationMode = Literal["auto", "edit", "prompt"]
Quality = Literal["auto", "low", "medium", "high", "standard", "hd"]


class GenerationSettings(BaseSettings):
    """Model, retry policy and concurrency of the OpenAI generator."""

    model_config = SettingsConfigDict(
        env_prefix="RENDERER_", extra="ignore", frozen=True, populate_by_name=True
    )

    # The unprefixed name is what every OpenAI tool reads, so a developer's shell just works.
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("RENDERER_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_api_key_ssm_parameter: str | None = None
    openai_base_url: str | None = None  # None: the SDK's default (or OPENAI_BASE_URL)
    model: ImageModelName = "gpt-image-1"
    # auto: edit the product photo when there is one (and the model can), else prompt only.
    mode: GenerationMode = "auto"
    quality: Quality = "auto"
    edit_input_fidelity: Literal["high", "low"] = "high"  # high keeps the product's details
    # What the gpt-image models answer with. A photographic 1024x1024 PNG is ~1.5 MB (2 MB
    # as base64), the same scene as JPEG at 90 ~0.3 MB: that answer crosses the NAT gateway
    # and is cached in S3, so JPEG is the default (docs/capacity.md). dall-e-3 always sends PNG.
    scene_format: Literal["jpeg", "png", "webp"] = "jpeg"
    scene_compression: int = Field(default=90, ge=0, le=100)  # jpeg/webp quality, 100 = best
    timeout_seconds: float = Field(default=120.0, gt=0)  # per attempt; gpt-image-1 often takes 30-60 s
    max_retries: int = Field(default=3, ge=0, le=10)  # attempts after the first one
    backoff_base_seconds: float = Field(default=1.0, ge=0)
    backoff_max_seconds: float = Field(default=30.0, ge=0)
    # A Retry-After longer than this is not slept through in-process: the job is handed
    # back to the queue as transient with the hint, instead of pinning a slot.
    max_retry_after_seconds: float = Field(default=60.0, ge=0)
    max_concurrency: int = Field(default=100, ge=1, le=1000)
    default_style: str = "studio"

    @field_validator("openai_api_key", mode="before")
    @classmethod
    def _blank_key_is_none(cls, value: object) -> object:
        # An empty variable (common in compose files) means "no key", i.e. offline.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("openai_base_url", "openai_api_key_ssm_parameter", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("default_style")
    @classmethod
    def _known_style(cls, value: str) -> str:
        return check_style(value)

    @model_validator(mode="after")
    def _edit_needs_an_edit_model(self) -> GenerationSettings:
        if self.model == "dall-e-3" and self.mode == "edit":
            raise ValueError("dall-e-3 has no edit endpoint: use mode 'prompt' or 'auto' with it")
        if self.backoff_max_seconds < self.backoff_base_seconds:
            raise ValueError("backoff_max_seconds must be >= backoff_base_seconds")
        return self

    @property
    def has_key_source(self) -> bool:
        """True when a key is given directly or an SSM parameter is named."""
        return self.openai_api_key is not None or self.openai_api_key_ssm_parameter is not None
