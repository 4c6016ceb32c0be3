"""The port every background generator implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.common.product import Product

__all__ = ["GenerationRequest", "GeneratedImage", "ImageGenerator"]


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    product: Product
    style: str = "studio"  # a named preset: studio, lifestyle, seasonal, ...
    size: str = "1024x1024"  # WIDTHxHEIGHT the model is asked for
    photo: bytes | None = None  # the product's own photo (already fetched safely), if any
    job_id: str | None = None
    note: str | None = None  # added to the prompt: why the previous scene was refused (quality gate)


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    data: bytes  # encoded image (PNG from the models)
    model: str  # "gpt-image-1", "dall-e-3", "offline"
    prompt: str | None = None
    revised_prompt: str | None = None


class ImageGenerator(Protocol):
    """Turns product facts (and maybe its photo) into a background scene."""

    name: str

    async def generate(self, request: GenerationRequest) -> GeneratedImage: ...

    async def aclose(self) -> None: ...
