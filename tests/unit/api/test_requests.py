"""The /v1 request models: what they accept, what they refuse, and the overlay shape the renderer reads."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from services.api.v1.body import field_errors
from services.api.v1.requests import STYLE_NAMES, JobCreate
from services.renderer.generation.prompts import PRESETS
from services.renderer.handler import overlay_options

URL = "https://shop.example.com/p/1"


def errors(body: dict[str, Any]) -> set[str]:
    with pytest.raises(ValidationError) as info:
        JobCreate.model_validate(body)
    return {e["field"] for e in field_errors(info.value)}


def test_defaults_match_the_seed_behaviour() -> None:
    """Only productUrl given: one square JPEG in the studio style, no overlay changes, empty metadata."""
    job = JobCreate.model_validate({"productUrl": URL})
    assert (job.formats, job.output, job.style, job.overlay_dict(), job.metadata) == (
        ["square"],
        "jpeg",
        "studio",
        {},
        {},
    )


def test_styles_are_the_renderers_presets() -> None:
    """The accepted style names are exactly the renderer's presets."""
    assert set(STYLE_NAMES) == set(PRESETS)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"productUrl": "javascript:alert(1)"}, "productUrl"),
        ({"productUrl": "https://" + "a" * 2050}, "productUrl"),
        ({"productUrl": "https://exa mple.com/"}, "productUrl"),
        ({"productUrl": URL, "formats": []}, "formats"),
        ({"productUrl": URL, "formats": ["square", "story", "landscape", "square"]}, "formats"),
        ({"productUrl": URL, "metadata": {"k": "v" * 1020}}, "metadata"),
        ({"productUrl": URL, "metadata": {"n": 1e300}}, "metadata"),
        ({"productUrl": URL, "overlay": {"price": {"hide": 1}}}, "overlay.price.hide"),
        ({"productUrl": URL, "overlay": {"logo": {"hide": True}}}, "overlay.logo"),
        ({"product": {"name": "x", "currency": "eur"}}, "product.currency"),
        ({"product": {"name": "x", "imageUrl": "file:///etc/passwd"}}, "product.imageUrl"),
        ({"product": {"name": ""}}, "product.name"),
    ],
)
def test_invalid_input_names_the_field(body: dict[str, Any], field: str) -> None:
    """Each invalid value is reported against its own dotted field path."""
    assert field in errors(body)


def test_exactly_one_source_is_required() -> None:
    """Neither or both of productUrl and product is refused as a whole-body error."""
    assert errors({}) == {"body"}
    assert errors({"productUrl": URL, "product": {"name": "x"}}) == {"body"}


def test_overlay_reaches_the_renderer_as_options() -> None:
    """The stored overlay is read by the renderer's overlay_options exactly as the caller meant it."""
    job = JobCreate.model_validate(
        {
            "productUrl": URL,
            "overlay": {
                "price": {"hide": True},
                "name": {"text": "Our Kettle"},
                "offer": {"text": "Today only"},
            },
        }
    )
    options = overlay_options(job.overlay_dict())
    assert options.show_price is False and options.name == "Our Kettle" and options.offer == "Today only"
    assert options.show_name is True and options.show_brand is True
