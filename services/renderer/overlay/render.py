"""One variant assembled: the framed scene, the scrim and text composited, the badge on top.

Everything here is synchronous CPU work; callers on an event loop run it in a thread.
The steps live apart: ``text_layer.py`` lays out the text (no scene pixel needed),
``framing.py`` places the scene for the format, ``compositing.py`` blends the scrim and
the text into the pixels. This module runs them in order and records what was made.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from services.common.product import Product
from services.renderer.formats import to_srgb
from services.renderer.overlay.compositing import apply_scrim, lay_text
from services.renderer.overlay.framing import compose_scene
from services.renderer.overlay.layout import Block
from services.renderer.overlay.options import OverlayOptions
from services.renderer.overlay.scene import to_image
from services.renderer.overlay.text_layer import TextLayer, lay_out_text

__all__ = ["PlacedText", "RenderedVariant", "TextLayer", "lay_out_text", "render_variant"]


@dataclass(frozen=True, slots=True)
class PlacedText:
    """A text block as composited, with the contrast measured under it."""

    kind: str
    text: str
    box: tuple[int, int, int, int]  # the mask's box in the output image, clipped to it
    origin: tuple[int, int]  # where the mask's top-left corner sits (may be off-canvas)
    mask: Image.Image  # L, glyph coverage
    color: tuple[int, int, int]
    contrast: float  # worst ratio between the text colour and any pixel under the box


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderedVariant:
    """A finished picture and what went into it; built by keyword only (eight fields, most
    of them numbers and boxes that would be easy to swap by position)."""

    image: Image.Image  # RGB, exactly the format's size
    overlay_text: str  # what was laid out, e.g. "ACME — Name — $12.99 — -20%"
    blocks: tuple[PlacedText, ...] = ()
    badge_box: tuple[int, int, int, int] | None = None
    scrim_alpha: float = 0.0
    # The product's bounding box as found in the scene, mapped to the output (None when
    # the scene has no distinct subject), and the uniform scale/offset the scene got.
    product_box: tuple[float, float, float, float] | None = None
    scene_scale: float = 1.0
    scene_offset: tuple[float, float] = (0.0, 0.0)


def render_variant(
    background: Image.Image,
    product: Product,
    *,
    format: str,
    options: OverlayOptions | None = None,
    layer: TextLayer | None = None,
) -> RenderedVariant:
    """The finished picture for one format (`square`, `landscape`, `story`). `layer` is
    this product's text for the format from `lay_out_text`, when it was laid out ahead."""
    if layer is None:
        layer = lay_out_text(product, format=format, options=options)
    elif layer.format != format:
        raise ValueError(f"the text layer is for {layer.format!r}, not {format!r}")
    text, frame, badge = layer.text, layer.frame, layer.badge
    blocks, boxes = list(layer.blocks), list(layer.boxes)

    background.load()  # decode once here: the resize reads it from several threads
    source = to_srgb(background)

    # The text was laid out first: the scene is placed so the product stays clear of it.
    pixels, placement, product_box = compose_scene(source, frame, boxes, layer.badge_box)
    placed: list[PlacedText] = []
    alpha = 0.0
    if blocks:
        ink, ratios = apply_scrim(pixels, boxes, frame)
        alpha = ink.alpha
        for block, mask, origin, box, ratio in zip(blocks, layer.masks, layer.origins, boxes, ratios, strict=True):
            lay_text(pixels, ink.text, origin, mask)
            placed.append(PlacedText(block.kind, block.text.text, box, origin, mask, ink.text, ratio))
    canvas = to_image(pixels)
    if badge:
        canvas.paste(badge[0], badge[2][:2], badge[1])

    parts = [text.brand, _laid(blocks, "name"), text.price, text.offer]
    return RenderedVariant(
        image=canvas,
        overlay_text=" — ".join(p for p in parts if p),
        blocks=tuple(placed),
        badge_box=badge[2] if badge else None,
        scrim_alpha=alpha,
        product_box=product_box,
        scene_scale=placement.scale,
        scene_offset=placement.offset,
    )


def _laid(blocks: list[Block], kind: str) -> str | None:
    return next((b.text.text for b in blocks if b.kind == kind), None)
