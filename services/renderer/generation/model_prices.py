"""What one generated scene costs at OpenAI's list prices (USD), for the EstimatedCost metric.

gpt-image models bill tokens and answer with their usage, so the estimate is the usage at
the per-token prices below (an edit's photo counts as image input). dall-e-3 bills per
image by quality and size. Unknown model or no usage: no estimate (never a guessed one).
"""

from __future__ import annotations

from typing import Any

__all__ = ["estimate_cost"]

# USD per million tokens: (text input, image input, image output). OpenAI's list prices.
_TOKEN_PRICES: dict[str, tuple[float, float, float]] = {"gpt-image-1": (5.0, 10.0, 40.0)}
# USD per image for dall-e-3: (quality, size) -> price.
_IMAGE_PRICES: dict[tuple[str, str], float] = {
    ("standard", "1024x1024"): 0.040, ("standard", "1792x1024"): 0.080, ("standard", "1024x1792"): 0.080,
    ("hd", "1024x1024"): 0.080, ("hd", "1792x1024"): 0.120, ("hd", "1024x1792"): 0.120,
}


def estimate_cost(model: str, *, quality: str, size: str, usage: Any) -> float | None:
    """The list price of one answer, or None when it cannot be known."""
    if model == "dall-e-3":
        return _IMAGE_PRICES.get((quality, size))
    prices = _TOKEN_PRICES.get(model)
    if prices is None or usage is None:
        return None
    details = getattr(usage, "input_tokens_details", None)
    image_in = int(getattr(details, "image_tokens", 0) or 0)
    text_in = int(getattr(details, "text_tokens", 0) or 0) if details else int(usage.input_tokens or 0)
    text_price, image_price, output_price = prices
    return (text_in * text_price + image_in * image_price + int(usage.output_tokens or 0) * output_price) / 1e6
