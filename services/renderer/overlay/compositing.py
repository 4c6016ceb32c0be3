"""Pixel compositing of a variant: the scrim and the text blended into the scene array.

Everything here is synchronous CPU work on numpy arrays (OpenCV's SIMD arithmetic; Pillow's
resampler and paste are scalar): the scrim's flat part (where all the text sits) and its
ramp are one multiply-and-round each, exactly what Pillow's masked paste computes. Text
is composited through small glyph masks cropped to each block's ink, the same way, so no
full-frame RGBA layer is ever made. Which pixels go where is decided elsewhere
(``text_layer.py``, ``framing.py``); ``render.py`` assembles the variant.
"""

from __future__ import annotations

import math
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image

from services.renderer.overlay.contrast import (
    AA_NORMAL,
    Ink,
    luminance_ranges,
    plan_ink,
    range_after,
    ratio_over,
    stronger,
)
from services.renderer.overlay.layout import Frame
from services.renderer.overlay.scene import Pixels

__all__ = ["apply_scrim", "lay_text"]


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


def apply_scrim(
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


def lay_text(canvas: Pixels, color: tuple[int, int, int], origin: tuple[int, int], mask: Image.Image) -> None:
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
