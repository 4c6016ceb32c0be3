"""Named style presets and the prompt built from scraped product facts.

The prompt is built only from a few extracted fields (name, brand, a short description),
never from page HTML. Those fields come from strangers' pages, so each one is cleaned
(tags, entities, URLs, control characters dropped) and cut to a small length: that keeps
the prompt about the product and leaves little room for text smuggled in to steer the
model. The overlay adds name and price later, so the model is told to leave clean space
and to write no text of its own.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from services.common.image_options import DEFAULT_STYLE
from services.common.product import Product

__all__ = ["StylePreset", "PRESETS", "resolve_preset", "clean_fact", "build_prompt"]

NAME_LIMIT = 120
BRAND_LIMIT = 60
DESCRIPTION_LIMIT = 280


@dataclass(frozen=True, slots=True)
class StylePreset:
    name: str
    scene: str  # where the product stands
    light: str
    mood: str
    text_space: str  # where the overlay will go, so the model keeps it calm


PRESETS: dict[str, StylePreset] = {
    p.name: p
    for p in (
        StylePreset(
            "studio",
            "on a seamless studio backdrop in a soft, complementary colour, on a subtle reflective surface",
            "soft key light with a gentle rim light and a soft contact shadow",
            "clean, professional e-commerce hero shot",
            "the upper third",
        ),
        StylePreset(
            "lifestyle",
            "in a real, tidy everyday setting where the product would naturally be used",
            "warm natural window light",
            "authentic, inviting, aspirational but believable",
            "the upper third",
        ),
        StylePreset(
            "seasonal",
            "in a tasteful seasonal setting with a few subtle props suited to the time of year",
            "warm, atmospheric light",
            "festive but uncluttered, the product clearly the hero",
            "the upper third",
        ),
        StylePreset(
            "minimal",
            "on a plain pastel surface with one or two simple geometric props",
            "bright, even, diffused light with soft shadows",
            "calm, modern, lots of negative space",
            "the left half",
        ),
        StylePreset(
            "luxury",
            "on dark polished stone or velvet with restrained gold accents",
            "dramatic low-key lighting with precise highlights",
            "premium, elegant, editorial",
            "the upper third",
        ),
        StylePreset(
            "outdoor",
            "outdoors in a natural landscape with a softly blurred background",
            "golden-hour sunlight",
            "fresh, adventurous, energetic",
            "the sky in the upper third",
        ),
        StylePreset(
            "flatlay",
            "seen from directly above in a neat flat-lay arrangement with a few related items",
            "soft, even overhead light",
            "organised, social-media ready",
            "the top band",
        ),
    )
}

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,1000}>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def resolve_preset(style: str | None, default: str = DEFAULT_STYLE) -> StylePreset:
    """The named preset, or the default one when the name is unknown or missing."""
    key = (style or "").strip().lower()
    return PRESETS.get(key) or PRESETS[default]


def clean_fact(text: str | None, limit: int) -> str:
    """Plain, single-line text from a scraped field, cut at a word boundary to ``limit``."""
    if not text:
        return ""
    text = _SCRIPT_OR_STYLE.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _TAG.sub(" ", text)  # entities may have hidden a tag: "&lt;b&gt;"
    text = _URL.sub(" ", text)
    # Control and format characters (zero-width, bidi overrides) carry no meaning for a scene.
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = text.replace("<", " ").replace(">", " ").replace("`", "'")
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:-") + "…"


def build_prompt(product: Product, preset: StylePreset, *, edit: bool) -> str:
    """The model prompt for one product in one style.

    ``edit`` is True when the product photo goes along as the input image: the model is
    then told to keep the product itself exactly as photographed.
    """
    name = clean_fact(product.name, NAME_LIMIT) or "the product"
    brand = clean_fact(product.brand, BRAND_LIMIT)
    description = clean_fact(product.description, DESCRIPTION_LIMIT)
    subject = f"{name} by {brand}" if brand and brand.lower() not in name.lower() else name

    parts: list[str] = []
    if edit:
        parts.append(
            f"Create a marketing photograph featuring the product in the input image ({subject}). "
            "Keep the product exactly as it is: same shape, colours, materials, proportions and "
            "printed label. Replace only its surroundings."
        )
    else:
        parts.append(f"A marketing photograph of {subject}.")
        if description:
            parts.append(f"Product details: {description}")
    parts.append(f"Setting: the product {preset.scene}.")
    parts.append(f"Lighting: {preset.light}. Mood: {preset.mood}.")
    parts.append(
        "Composition: the product is the clear hero, sharp and fully in frame; keep "
        f"{preset.text_space} as clean, uncluttered negative space for a headline and price "
        "that will be added later."
    )
    no_text = "Do not render any text, letters, numbers, prices, logos, badges or watermarks"
    if edit:
        no_text += " other than what is printed on the product itself"
    parts.append(no_text + ". Photorealistic, high detail.")
    return " ".join(parts)
