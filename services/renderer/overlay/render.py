"""One variant: the scene re-composed for the format, scrim, text and badge on top.

Everything here is synchronous CPU work; callers on an event loop run it in a thread.
The scene is resampled, measured and scrimmed as a numpy array with OpenCV (SIMD; Pillow's
resampler is scalar): the scrim's flat part (where all the text sits) and its ramp are
one multiply-and-round each, exactly what Pillow's masked paste computes. Text is
rasterised (Pillow, raqm) into small masks cropped to each block's ink and composited on the
array the same way, so no full-frame RGBA layer is ever made; then the array becomes the
Pillow image the badge is pasted on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw

from services.common.product import Product
from services.renderer.formats import FORMATS, to_srgb
from services.renderer.overlay.backdrop import extend_scene
from services.renderer.overlay.badge import render_badge
from services.renderer.overlay.contrast import (
    AA_NORMAL,
    Ink,
    luminance_ranges,
    plan_ink,
    range_after,
    ratio_over,
    stronger,
)
from services.renderer.overlay.crop import cover_box, focus_point, subject_box
from services.renderer.overlay.layout import Block, Frame, frame_for, stack_blocks
from services.renderer.overlay.options import OverlayOptions, OverlayText, resolve_text
from services.renderer.overlay.placement import Placement, free_regions, place_subject
from services.renderer.overlay.scene import Pixels, resize_array, to_image
from services.renderer.overlay.shaping import is_rtl

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


@dataclass(frozen=True, slots=True)
class RenderedVariant:
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


def _scrim_level(alpha: float) -> int:
    # Opacity in 1/64 steps: invisible differences, and the caches below actually hit.
    return round(math.ceil(alpha * 64) / 64 * 255)


def _ramp_column(height: int, level: int) -> list[int]:
    # Clear at the top, `level` at the bottom row's end. Smoothstep has no kink at either
    # end, so the eye sees no band edge (linear ramps show Mach bands).
    def at(y: int) -> int:
        t = y / height
        return round(level * t * t * (3 - 2 * t))

    return [at(y) for y in range(height)]


@lru_cache(maxsize=64)
def _ramp_mask(width: int, height: int, level: int) -> Image.Image:
    column = bytes(_ramp_column(height, level))
    return Image.frombytes("L", (1, height), column).resize((width, height), Image.Resampling.NEAREST)


@lru_cache(maxsize=8)
def _ramp_keep(width: int, height: int, level: int, channels: int = 3) -> Pixels:
    """255 minus the ramp's opacity, per row, as an image for cv2.multiply."""
    keep = 255 - np.asarray(_ramp_column(height, level), dtype=np.uint8)
    return np.ascontiguousarray(np.broadcast_to(keep[:, None, None], (height, width, channels)))


def _paste_rgb(
    part: Pixels, color: tuple[int, int, int], mask: Image.Image | Pixels
) -> None:
    """Pillow's masked paste of `color` onto the array region in place (RGB or RGBX),
    for the colours the arithmetic paths below do not cover."""
    rgb = np.ascontiguousarray(part[..., :3])
    image = Image.fromarray(rgb)
    image.paste(_solid(color, image.size), (0, 0), mask if isinstance(mask, Image.Image) else Image.fromarray(mask))
    part[..., :3] = np.asarray(image)


def _lay_ramp(canvas: Pixels, scrim: tuple[int, int, int], top: int, height: int, level: int) -> None:
    """The scrim's ramp laid in place: Pillow's masked paste of `scrim` through
    `_ramp_mask`, to the level, as one multiply (round(v * keep / 255) for black; white
    is the same on the inverted pixels). Other colours take the masked paste."""
    part = canvas[top : top + height]
    keep = _ramp_keep(part.shape[1], height, level, part.shape[2])
    if scrim == (0, 0, 0):
        cv2.multiply(part, keep, dst=part, scale=1 / 255)
    elif scrim == (255, 255, 255):
        cv2.bitwise_not(part, dst=part)
        cv2.multiply(part, keep, dst=part, scale=1 / 255)
        cv2.bitwise_not(part, dst=part)
    else:
        _paste_rgb(part, scrim, _ramp_mask(part.shape[1], height, level))


@lru_cache(maxsize=256)
def _scrim_lut(scrim: tuple[int, int, int], level: int) -> tuple[int, ...]:
    # Exactly what pasting `scrim` through a mask of `level` computes (Pillow's rounded
    # divide by 255), as one table per channel.
    def blend(v: int, s: int) -> int:
        tmp = v * (255 - level) + s * level + 128
        return ((tmp >> 8) + tmp) >> 8

    return tuple(blend(v, s) for s in scrim for v in range(256))


@lru_cache(maxsize=64)
def _lut_array(lut: tuple[int, ...], channels: int = 3) -> Pixels:
    """A 768-entry per-channel table in cv2.LUT's layout (1x256x3; 1x256x4 for RGBX,
    the padding byte kept)."""
    table = np.asarray(lut, dtype=np.uint8).reshape(3, 256).T
    if channels == 4:
        table = np.concatenate([table, np.arange(256, dtype=np.uint8)[:, None]], axis=1)
    return table.reshape(1, 256, channels).copy()


@lru_cache(maxsize=64)
def _solid(color: tuple[int, int, int], size: tuple[int, int]) -> Image.Image:
    """A read-only patch of one colour, pasted through masks (see the module docstring)."""
    return Image.new("RGB", size, color)


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


def _apply_scrim(
    canvas: Pixels, boxes: list[tuple[int, int, int, int]], frame: Frame
) -> tuple[Ink, list[float]]:
    """Picks the ink for all blocks and lays the scrim it needs (in place); returns the
    contrast measured under each block after compositing."""
    ranges = luminance_ranges(canvas, boxes)
    lum = (min(r[0] for r in ranges), max(r[1] for r in ranges))
    ink = plan_ink(lum)
    ratios = [ratio_over(ink, r) for r in ranges]
    if ink.alpha <= 0 and min(ratios) >= AA_NORMAL + 0.1:
        return ink, ratios
    # The scrim is a smoothstep ramp down to the top of the text, then flat to the bottom
    # edge. Every box is in the flat part, a per-channel lookup table: the pixels under
    # the text are measured through it (without mapping them) until the opacity suffices,
    # then it is applied once. The ramp above it is pasted once the opacity is settled.
    text_top = min(box[1] for box in boxes)
    ramp = max(frame.px(160), round((frame.height - text_top) * 0.6))
    top = max(0, text_top - ramp)
    for _ in range(8):
        level = _scrim_level(ink.alpha)
        lut = _scrim_lut(ink.scrim, level)
        # A bound from the first measurement usually shows enough contrast already; if
        # not, measure again on the composited pixels: colours scale less evenly than greys.
        after = [range_after(lut, r) for r in ranges]
        ratios = [0.0 if r is None else ratio_over(ink, r) for r in after]
        if min(ratios) < AA_NORMAL + 0.1:
            ratios = [ratio_over(ink, r) for r in luminance_ranges(canvas, boxes, lut=lut)]
        if min(ratios) >= AA_NORMAL + 0.1 or ink.alpha >= 1.0:
            break
        ink = stronger(ink)
    body = canvas[text_top:]
    if ink.scrim in ((0, 0, 0), (255, 255, 255)):
        # The same table as arithmetic, ~4x faster: round(v * (255 - level) / 255 + s * level / 255)
        # (no ties: the numerator is an integer over 255). The tests check every level.
        cv2.convertScaleAbs(body, dst=body, alpha=(255 - level) / 255, beta=ink.scrim[0] * level / 255)
    else:
        cv2.LUT(body, _lut_array(lut, body.shape[2]), dst=body)
    if text_top > top:
        _lay_ramp(canvas, ink.scrim, top, text_top - top, level)
    return ink, ratios


def _lay_text(canvas: Pixels, color: tuple[int, int, int], origin: tuple[int, int], mask: Image.Image) -> None:
    """`color` composited in place through the glyph mask: Pillow's masked paste, as
    SIMD arithmetic on the array. For a grey c it is c + round((v - c) * (255 - m) / 255),
    split by sign so that every step stays in 8 bits (no ties: the numerator is an
    integer over 255)."""
    h, w = canvas.shape[:2]
    x0, y0 = max(0, origin[0]), max(0, origin[1])
    x1, y1 = min(w, origin[0] + mask.width), min(h, origin[1] + mask.height)
    if x1 <= x0 or y1 <= y0:
        return
    part = canvas[y0:y1, x0:x1]
    m = np.asarray(mask)[y0 - origin[1] : y1 - origin[1], x0 - origin[0] : x1 - origin[0]]
    if color[0] != color[1] or color[1] != color[2]:
        _paste_rgb(part, color, m)
        return
    keep = cv2.cvtColor(cv2.bitwise_not(m), cv2.COLOR_GRAY2RGBA if part.shape[2] == 4 else cv2.COLOR_GRAY2RGB)
    c = color[0]
    if c == 255:
        cv2.bitwise_not(part, dst=part)
        cv2.multiply(part, keep, dst=part, scale=1 / 255)
        cv2.bitwise_not(part, dst=part)
        return
    grey = np.full_like(part, c)
    above = cv2.multiply(cv2.subtract(part, grey), keep, scale=1 / 255)
    below = cv2.multiply(cv2.subtract(grey, part), keep, scale=1 / 255)
    cv2.subtract(cv2.add(above, grey), below, dst=part)


def _compose_scene(
    source: Image.Image,
    frame: Frame,
    boxes: list[tuple[int, int, int, int]],
    badge_box: tuple[int, int, int, int] | None,
) -> tuple[Pixels, Placement, tuple[float, float, float, float] | None]:
    """The scene on the canvas (a new array): scaled and placed so the product's box lies clear of the
    text and badge, extended where it no longer covers the canvas; a plain cover crop
    around the focus when the scene has no distinct product."""
    size = (frame.width, frame.height)
    subject = subject_box(source)
    if subject is not None:
        text = None
        if boxes:
            text = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        safe = (frame.margin_x, frame.margin_top, frame.width - frame.margin_x, frame.height - frame.margin_bottom)
        regions = free_regions(size, safe, text, badge_box, frame.px(24))
        placement = place_subject(source.size, subject, size, regions)
        if placement is not None:
            if placement.covers:
                s, (ox, oy) = placement.scale, placement.offset
                canvas = resize_array(source, size, (-ox / s, -oy / s, (frame.width - ox) / s, (frame.height - oy) / s))
            else:
                canvas = extend_scene(source, placement, size)
            return canvas, placement, placement.map(subject)
    same_aspect = abs(source.width * size[1] - source.height * size[0]) < source.width
    focus = (0.5, 0.5) if same_aspect else focus_point(source)
    box = cover_box(source.size, size, focus)
    scale = frame.height / (box[3] - box[1])
    return resize_array(source, size, box), Placement(scale, (-box[0] * scale, -box[1] * scale), True), None


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
    pixels, placement, product_box = _compose_scene(source, frame, boxes, layer.badge_box)
    placed: list[PlacedText] = []
    alpha = 0.0
    if blocks:
        ink, ratios = _apply_scrim(pixels, boxes, frame)
        alpha = ink.alpha
        for block, mask, origin, box, ratio in zip(blocks, layer.masks, layer.origins, boxes, ratios, strict=True):
            _lay_text(pixels, ink.text, origin, mask)
            placed.append(PlacedText(block.kind, block.text.text, box, origin, mask, ink.text, ratio))
    canvas = to_image(pixels)
    if badge:
        canvas.paste(badge[0], badge[2][:2], badge[1])

    parts = [text.brand, _laid(blocks, "name"), text.price, text.offer]
    return RenderedVariant(
        canvas,
        " — ".join(p for p in parts if p),
        tuple(placed),
        badge[2] if badge else None,
        alpha,
        product_box,
        placement.scale,
        placement.offset,
    )


def _laid(blocks: list[Block], kind: str) -> str | None:
    return next((b.text.text for b in blocks if b.kind == kind), None)
