"""The text layer of a variant: fitted blocks, their glyph masks and boxes, and the badge.

It depends on the product's text and the format only, never on a scene pixel, so the
renderer lays it out while the model is still painting the scene.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from services.common.product import Product
from services.renderer.formats import FORMATS
from services.renderer.overlay.badge import render_badge
from services.renderer.overlay.layout import Block, Frame, frame_for, stack_blocks
from services.renderer.overlay.options import OverlayOptions, OverlayText, resolve_text
from services.renderer.overlay.shaping import is_rtl

__all__ = ["TextLayer", "lay_out_text"]


@lru_cache(maxsize=256)
def _block_mask(block: Block, rtl: bool) -> tuple[Image.Image, tuple[int, int]]:
    """The block's glyph coverage, cropped to the ink, and where the crop's top-left
    corner sits relative to the block's (ascenders, descenders and accents may reach
    past the block's line boxes)."""
    ft = block.text
    pad = math.ceil(ft.size * 0.45)
    mask = Image.new("L", (block.width + 2 * pad, block.height + 2 * pad), 0)
    draw = ImageDraw.Draw(mask)
    for i, line in enumerate(ft.lines):
        x = pad + (block.width - line.width if rtl else 0)
        baseline = pad + i * ft.line_height + ft.line_height * 0.5 + ft.size * 0.36
        line.draw(draw, x, baseline)
        if block.strike:
            y = round(baseline - ft.size * 0.3)
            draw.rectangle((x, y, x + line.width, y + max(2, ft.size // 14) - 1), fill=255)
    # Only the inked part is measured, scrimmed and composited: the padding is ~40% of
    # the area and was pure cost.
    ink = mask.getbbox()
    if ink is None:
        return mask, (-pad, -pad)
    return mask.crop(ink), (ink[0] - pad, ink[1] - pad)


def _place_badge(
    text: OverlayText, frame: Frame
) -> tuple[Image.Image, Image.Image, tuple[int, int, int, int]] | None:
    if not text.offer:
        return None
    badge = render_badge(text.offer, frame.badge, round(frame.width * 0.5), text.language)
    w, h = badge.size
    x = frame.margin_x - badge.inset if frame.badge_left else frame.width - frame.margin_x - w + badge.inset
    y = frame.margin_top - badge.inset
    return badge.image, badge.mask, (x, y, x + w, y + h)


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _layout(text: OverlayText, frame: Frame, badge_box: tuple[int, int, int, int] | None) -> list[Block]:
    blocks = stack_blocks(text, frame)
    if badge_box and any(_overlaps(b.box, badge_box) for b in blocks):
        # Not enough height for both: narrow the text column so it runs beside the badge.
        narrow = frame.width - 2 * frame.margin_x - (badge_box[2] - badge_box[0]) - frame.px(16)
        blocks = stack_blocks(text, frame, column=min(frame.column, narrow))
    return blocks


def _boxes(masks: list[Image.Image], origins: list[tuple[int, int]], frame: Frame) -> list[tuple[int, int, int, int]]:
    return [
        (max(0, x0), max(0, y0), min(frame.width, x0 + mask.width), min(frame.height, y0 + mask.height))
        for mask, (x0, y0) in zip(masks, origins, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class TextLayer:
    """Everything of a variant that depends on the product's text and the format only:
    the fitted blocks, their glyph masks and boxes, and the badge. No scene pixel goes
    into it, so the renderer lays it out while the model is still painting the scene."""

    format: str
    text: OverlayText
    frame: Frame
    blocks: tuple[Block, ...]
    masks: tuple[Image.Image, ...]  # per block: glyph coverage (L), cropped to the ink
    origins: tuple[tuple[int, int], ...]  # per block: where its mask's top-left corner sits
    boxes: tuple[tuple[int, int, int, int], ...]  # per block: the mask's box, clipped to the frame
    badge: tuple[Image.Image, Image.Image, tuple[int, int, int, int]] | None  # image, mask, box

    @property
    def badge_box(self) -> tuple[int, int, int, int] | None:
        return self.badge[2] if self.badge else None


def lay_out_text(product: Product, *, format: str, options: OverlayOptions | None = None) -> TextLayer:
    """The text layer for one format (`square`, `landscape`, `story`)."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {sorted(FORMATS)}")
    text = resolve_text(product, options)
    frame = frame_for(FORMATS[format], rtl=is_rtl(text.name or text.brand or "", text.language))
    badge = _place_badge(text, frame)
    blocks = _layout(text, frame, badge[2] if badge else None)
    masks, origins = [], []
    for block in blocks:
        mask, (dx, dy) = _block_mask(block, frame.rtl)
        masks.append(mask)
        origins.append((block.x + dx, block.top + dy))
    boxes = _boxes(masks, origins, frame)
    return TextLayer(format, text, frame, tuple(blocks), tuple(masks), tuple(origins), tuple(boxes), badge)
