"""Picks the generator at start-up: OpenAI when a key is configured, else offline.

The key comes either straight from settings (local runs) or from an SSM SecureString
(AWS), read once here through the parameter port (the SSM adapter the entry point owns). A named parameter that
cannot be read stops the start-up: silently falling back to the offline generator
would hide a broken deployment behind plausible-looking images.
"""

from __future__ import annotations

from pydantic import SecretStr

from services.common.logging import get_logger
from services.common.parameters import Parameters
from services.renderer.generation.base import ImageGenerator
from services.renderer.generation.settings import GenerationSettings

__all__ = ["build_generator", "read_api_key", "GeneratorConfigError", "UNSET_PARAMETER_VALUE"]

#: What Terraform writes into the SecureString it creates (infra/terraform/storage.tf); the
#: real key is put there out of band. Read as a key it would fail every render with 401.
UNSET_PARAMETER_VALUE = "set-me-out-of-band"


class GeneratorConfigError(RuntimeError):
    """The configured OpenAI key source exists but yields no usable key."""


async def read_api_key(settings: GenerationSettings, parameters: Parameters | None = None) -> SecretStr | None:
    """The configured key, from settings or from the named SSM parameter; None when neither."""
    if settings.openai_api_key is not None:
        return settings.openai_api_key
    name = settings.openai_api_key_ssm_parameter
    if name is None:
        return None
    if parameters is None:
        raise GeneratorConfigError(f"a parameter store (SSM client) is needed to read the OpenAI key from {name!r}")
    try:
        value = await parameters.read_secret(name)
    except Exception as exc:
        # Only the parameter name and the error class: the message could echo a value.
        raise GeneratorConfigError(
            f"cannot read the OpenAI key from SSM parameter {name!r}: {type(exc).__name__}"
        ) from exc
    if not isinstance(value, str) or not value.strip():
        raise GeneratorConfigError(f"SSM parameter {name!r} holds an empty OpenAI key")
    if value.strip() == UNSET_PARAMETER_VALUE:
        raise GeneratorConfigError(
            f"SSM parameter {name!r} still holds Terraform's placeholder: put the OpenAI key there "
            "(aws ssm put-parameter --overwrite) or deploy with renderer_generator = \"offline\""
        )
    return SecretStr(value.strip())


async def build_generator(settings: GenerationSettings, parameters: Parameters | None = None) -> ImageGenerator:
    """The generator this process should use; the caller owns it and must ``aclose()`` it."""
    log = get_logger(__name__)
    key = await read_api_key(settings, parameters)
    if key is None:
        # Imported lazily: the offline generator pulls in its own imaging helpers.
        from services.renderer.generation.offline import OfflineGenerator

        log.info("generator_offline_no_key")
        return OfflineGenerator()

    from services.renderer.generation.openai_generator import OpenAIGenerator

    source = "ssm" if settings.openai_api_key is None else "settings"
    log.info(
        "generator_openai",
        model=settings.model,
        mode=settings.mode,
        key_source=source,
        base_url=settings.openai_base_url or "default",
        max_concurrency=settings.max_concurrency,
    )
    return OpenAIGenerator(settings, key)
