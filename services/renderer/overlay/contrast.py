"""WCAG contrast, measured on the pixels text actually sits on, and the scrim that fixes it.

Luminance follows WCAG 2.x (sRGB linearised, Rec. 709 weights). Measurements run on the
region under a text block only, through lookup tables, so they cost well under a
millisecond per block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from PIL import Image

__all__ = [
    "AA_NORMAL",
    "Ink",
    "contrast_ratio",
    "luminance",
    "luminance_range",
    "luminance_ranges",
    "plan_ink",
    "ratio_over",
    "stronger",
]

AA_NORMAL = 4.5
# Aim a little above 4.5: the 8-bit tables round, and JPEG shifts edges by a few levels.
_TARGET = 4.8
_MAX_SCRIM = 0.94


def _linear(v: float) -> float:
    c = v / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


# 16-bit fixed-point luminance tables: L(rgb) * 65535 = R_T[r] + G_T[g] + B_T[b].
_WEIGHTS = (0.2126, 0.7152, 0.0722)


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour, 0..1."""
    return sum(w * _linear(c) for w, c in zip(_WEIGHTS, rgb, strict=True))


def contrast_ratio(l1: float, l2: float) -> float:
    """WCAG contrast ratio between two relative luminances (1..21)."""
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


# Per-channel tables into 8 bits of *linear* light, weighted so the three sum to Y*255;
# ImageMath-free and fast: point() then a channel sum via convert("L", matrix).
_LUT = [round(_linear(v) * 255) for v in range(256)] * 3


def _linear_y(region: Image.Image) -> Image.Image:
    """L image of 8-bit relative luminance (linear light) for an RGB region."""
    if region.mode != "RGB":
        region = region.convert("RGB")
    return region.point(_LUT).convert("L", matrix=(*_WEIGHTS, 0.0))


def _range_of(y: Image.Image) -> tuple[float, float]:
    lo, hi = cast("tuple[int, int]", y.getextrema())
    # The 8-bit rounding can hide up to half a step either side: report the worse case.
    return max(0.0, (lo - 0.5) / 255.0), min(1.0, (hi + 0.5) / 255.0)


def luminance_range(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[float, float]:
    """(min, max) relative luminance over the pixels of `image` in `box`."""
    return _range_of(_linear_y(image.crop(box)))


def luminance_ranges(image: Image.Image, boxes: list[tuple[int, int, int, int]]) -> list[tuple[float, float]]:
    """`luminance_range` for each box, from one pass over the boxes' bounding rectangle
    (the per-call table setup costs more than the few extra pixels between blocks)."""
    if not boxes:
        return []
    union = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    y = _linear_y(image.crop(union))
    x0, y0 = union[:2]
    return [_range_of(y.crop((b[0] - x0, b[1] - y0, b[2] - x0, b[3] - y0))) for b in boxes]


@dataclass(frozen=True, slots=True)
class Ink:
    """How to set a text block: its colour and the scrim (colour, opacity) under it."""

    text: tuple[int, int, int]
    scrim: tuple[int, int, int]
    alpha: float

    @property
    def dark_text(self) -> bool:
        return luminance(self.text) < 0.5


LIGHT = (255, 255, 255)
DARK = (17, 17, 17)


def _gamma(lum: float) -> float:
    """The grey level (0..1, sRGB-encoded) with this relative luminance."""
    return lum * 12.92 if lum <= 0.0031308 else 1.055 * lum ** (1 / 2.4) - 0.055


def _scrim_for_light_text(max_lum: float) -> float:
    # Black at opacity a scales each encoded channel by (1 - a). Solve exactly for a grey
    # as bright as the brightest pixel; colours land close and are verified afterwards.
    limit = _gamma((luminance(LIGHT) + 0.05) / _TARGET - 0.05)
    brightest = _gamma(max_lum)
    if brightest <= limit:
        return 0.0
    return min(_MAX_SCRIM, 1.0 - limit / brightest)


def _scrim_for_dark_text(min_lum: float) -> float:
    # White at opacity a moves each encoded channel towards 1: g' = g + (1 - g) a.
    need = _gamma(_TARGET * (luminance(DARK) + 0.05) - 0.05)
    darkest = _gamma(min_lum)
    if darkest >= need:
        return 0.0
    return min(_MAX_SCRIM, (need - darkest) / (1.0 - darkest))


def plan_ink(lum_range: tuple[float, float], *, prefer_light: bool = True) -> Ink:
    """Text colour and scrim for a region with this luminance range: whichever needs the
    lighter scrim (light text wins ties and near-ties, it reads as the house style)."""
    lo, hi = lum_range
    for_light = _scrim_for_light_text(hi)
    for_dark = _scrim_for_dark_text(lo)
    if for_light <= for_dark + (0.25 if prefer_light else 0.0):
        return Ink(LIGHT, (0, 0, 0), for_light)
    return Ink(DARK, (255, 255, 255), for_dark)


def stronger(ink: Ink, step: float = 0.08) -> Ink:
    """The same ink with a denser scrim, for when a measurement falls short."""
    return Ink(ink.text, ink.scrim, min(1.0, ink.alpha + step))


def ratio_over(ink: Ink, lum_range: tuple[float, float]) -> float:
    """Worst contrast between the ink's text colour and a region's luminance range."""
    text = luminance(ink.text)
    lo, hi = lum_range
    return min(contrast_ratio(text, lo), contrast_ratio(text, hi))
