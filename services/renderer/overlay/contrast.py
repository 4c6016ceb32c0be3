"""WCAG contrast, measured on the pixels text actually sits on, and the scrim that fixes it.

Luminance follows WCAG 2.x (sRGB linearised, Rec. 709 weights). Measurements run on the
region under the text blocks only, through a lookup table and OpenCV's grey conversion,
~1.5 ms for a square variant's whole text stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

__all__ = [
    "AA_NORMAL",
    "Ink",
    "contrast_ratio",
    "luminance",
    "luminance_range",
    "luminance_ranges",
    "plan_ink",
    "range_after",
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


_WEIGHTS = (0.2126, 0.7152, 0.0722)


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour, 0..1."""
    return sum(w * _linear(c) for w, c in zip(_WEIGHTS, rgb, strict=True))


def contrast_ratio(l1: float, l2: float) -> float:
    """WCAG contrast ratio between two relative luminances (1..21)."""
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


# Measuring: per-channel tables map each sRGB byte to its weighted linear light, scaled
# so that OpenCV's SIMD RGB -> grey conversion (fixed-point Rec. 601 coefficients)
# sums them: grey = sum(coef_c * T_c[v_c]) / 16384 ~ _SCALE * Y. One table pass and one
# grey pass over the blocks' bounding rectangle, then min/max per block.
_GREY_COEFS = (4899, 9617, 1868)  # cv2.COLOR_RGB2GRAY, out of 1 << 14
_SCALE = min(255 * c / (16384 * w) for w, c in zip(_WEIGHTS, _GREY_COEFS, strict=True))  # ~209: the widest that fits
_EXACT = np.array(
    [[_SCALE * w * 16384 / c * _linear(v) for w, c in zip(_WEIGHTS, _GREY_COEFS, strict=True)] for v in range(256)]
)
_TABLE = np.round(_EXACT).astype(np.uint8).reshape(1, 256, 3)
# The grey conversion rounds to within 0.5075 of the exact weighted sum (checked over
# every 8-bit colour by the tests); the tables round to within 0.5 per channel. So the
# true Y lies within _PAD / _SCALE of grey / _SCALE, and ranges are widened by that.
_GREY_ERROR = 0.51
_PAD = float(np.abs(_TABLE[0] - _EXACT).max()) + _GREY_ERROR

Pixels = npt.NDArray[np.uint8]


@lru_cache(maxsize=64)
def _table_after(lut: tuple[int, ...] | None, channels: int = 3) -> npt.NDArray[np.uint8]:
    """The measuring table for pixels that will go through `lut` (768 entries, one 256
    run per channel, as for `Image.point`) first: measuring the original pixels through
    it gives the luminance of the mapped ones, without mapping them. For RGBX pixels
    (`channels` 4) the padding byte maps to 0 (the grey conversion ignores it anyway)."""
    if lut is None:
        table = _TABLE
    else:
        index = np.asarray(lut, dtype=np.intp).reshape(3, 256)
        table = np.stack([_TABLE[0, index[c], c] for c in range(3)], axis=-1).reshape(1, 256, 3)
    if channels == 4:
        table = np.concatenate([table, np.zeros((1, 256, 1), dtype=np.uint8)], axis=-1)
    return np.ascontiguousarray(table)


def _pixels(image: Image.Image | Pixels) -> Pixels:
    if isinstance(image, Image.Image):
        return np.asarray(image.convert("RGB") if image.mode != "RGB" else image)
    return image


def luminance_range(
    image: Image.Image | Pixels, box: tuple[int, int, int, int], *, lut: tuple[int, ...] | None = None
) -> tuple[float, float]:
    """(min, max) relative luminance over the pixels of `image` in `box` (after `lut`)."""
    return luminance_ranges(image, [box], lut=lut)[0]


def luminance_ranges(
    image: Image.Image | Pixels, boxes: list[tuple[int, int, int, int]], *, lut: tuple[int, ...] | None = None
) -> list[tuple[float, float]]:
    """`luminance_range` for each box, from one pass over the boxes' bounding rectangle
    (the per-call setup costs more than the few extra pixels between blocks). The range
    is widened by the measurement's rounding bound, so a contrast computed from it is
    never overstated."""
    if not boxes:
        return []
    pixels = _pixels(image)
    union = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    x0, y0 = union[:2]
    channels = pixels.shape[2]
    code = cv2.COLOR_RGBA2GRAY if channels == 4 else cv2.COLOR_RGB2GRAY  # the same weights and rounding
    grey = cv2.cvtColor(cv2.LUT(pixels[y0 : union[3], x0 : union[2]], _table_after(lut, channels)), code)
    out = []
    for b in boxes:
        lo, hi, _, _ = cv2.minMaxLoc(grey[b[1] - y0 : b[3] - y0, b[0] - x0 : b[2] - x0])
        out.append((max(0.0, (lo - _PAD) / _SCALE), min(1.0, (hi + _PAD) / _SCALE)))
    return out


_LINEAR = np.array([_linear(v) for v in range(256)])


def _hull(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], upper: bool) -> tuple[list[float], list[float]]:
    """Vertices of the upper concave (or lower convex) envelope of points sorted by x."""
    hx: list[float] = []
    hy: list[float] = []
    sign = 1.0 if upper else -1.0
    for px, py in zip(x.tolist(), y.tolist(), strict=True):
        while len(hx) >= 2 and sign * (
            (hx[-1] - hx[-2]) * (py - hy[-2]) - (hy[-1] - hy[-2]) * (px - hx[-2])
        ) >= 0:
            hx.pop()
            hy.pop()
        hx.append(px)
        hy.append(py)
    return hx, hy


@lru_cache(maxsize=256)  # opacity comes in 1/64 steps: ~130 tables in all
def _envelopes(table: tuple[int, ...]) -> tuple[tuple[list[float], list[float]], tuple[list[float], list[float]]]:
    after = _LINEAR[np.asarray(table, dtype=np.intp)]
    return _hull(_LINEAR, after, upper=False), _hull(_LINEAR, after, upper=True)


def range_after(lut: tuple[int, ...], lum_range: tuple[float, float]) -> tuple[float, float] | None:
    """A bound on the luminance range of pixels whose range is `lum_range`, after each of
    their channels goes through the same 256-entry table in `lut` (768 entries, as for
    `Image.point`); None when the channels' tables differ.

    With x_c the channels' linear light and h(x) what the table makes of it, a pixel's
    luminance becomes sum(w_c h(x_c)); for any concave g >= h, Jensen gives
    sum(w_c g(x_c)) <= g(sum(w_c x_c)) = g(Y), and the upper concave envelope of h is
    such a g and is non-decreasing (h is). Likewise the lower convex envelope bounds from
    below. For a dark scrim the upper bound is within ~0.01 of the truth for greys and
    usually shows enough contrast, which spares measuring the mapped pixels again; for a
    light scrim the lower envelope is loose and dark text is measured again."""
    if lut[:256] != lut[256:512] or lut[:256] != lut[512:]:
        return None
    (lx, ly), (ux, uy) = _envelopes(lut[:256])
    lo = float(np.interp(lum_range[0], lx, ly)) - 1e-9
    hi = float(np.interp(lum_range[1], ux, uy)) + 1e-9
    return max(0.0, lo), min(1.0, hi)


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
