"""EstimatedCost: gpt-image answers priced from their token usage, dall-e-3 per image, else none."""

from __future__ import annotations

from openai.types.images_response import Usage

from services.renderer.generation.model_prices import estimate_cost


def _usage(text_in: int, image_in: int, out: int) -> Usage:
    return Usage.model_validate({"input_tokens": text_in + image_in, "output_tokens": out,
                                 "total_tokens": text_in + image_in + out,
                                 "input_tokens_details": {"text_tokens": text_in, "image_tokens": image_in}})


def test_gpt_image_cost_is_its_token_usage_at_list_prices() -> None:
    """An edit: 200 text and 1,000 image tokens in, 4,160 out at $5 / $10 / $40 per million."""
    cost = estimate_cost("gpt-image-1", quality="high", size="1024x1024", usage=_usage(200, 1000, 4160))
    assert cost is not None and abs(cost - (200 * 5 + 1000 * 10 + 4160 * 40) / 1e6) < 1e-12


def test_dall_e_3_is_priced_per_image_and_unknowns_get_no_estimate() -> None:
    """dall-e-3 by quality and size; an unknown model, size or missing usage gives None, not a guess."""
    assert estimate_cost("dall-e-3", quality="hd", size="1792x1024", usage=None) == 0.120
    assert estimate_cost("dall-e-3", quality="hd", size="512x512", usage=None) is None
    assert estimate_cost("gpt-image-1", quality="auto", size="1024x1024", usage=None) is None
    assert estimate_cost("some-new-model", quality="high", size="1024x1024", usage=_usage(1, 1, 1)) is None
