"""A scene scaled down to keep its product clear of the text, on a canvas it no longer
covers: the rest of the canvas continues the scene's own backdrop.

The scene's edge rows and columns are stretched outwards (edge clamp) and blurred at
1/8 resolution, so a studio gradient or a plain wall simply carries on; the sharp scene
is laid on top with feathered edges so there is no seam. When the scene's edges are busy
(a painted full scene), clamped edges streak, so the blur is stronger and a soft
vignette darkens the extension away from the scene: it reads as depth of field rather
than as a letterbox.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageStat

from services.renderer.overlay.placement import Placement
from services.renderer.overlay.scene import Pixels, resize_array

__all__ = ["extend_scene"]

_K = 8  # the backdrop is built at 1/_K resolution: blur is cheap there and looks the same
_FEATHER = 40  # px over which the sharp scene fades into its extension
_BUSY_STDDEV = 14.0  # luma spread along the scene's edges above which they count as busy


def _edges_busy(tile: Image.Image) -> bool:
    w, h = tile.size
    strips = [tile.crop((0, 0, w, 2)), tile.crop((0, h - 2, w, h)),
              tile.crop((0, 0, 2, h)), tile.crop((w - 2, 0, w, h))]
    return max(ImageStat.Stat(s.convert("L")).stddev[0] for s in strips) > _BUSY_STDDEV


def _clamp_extend(tile: Image.Image, at: tuple[int, int], size: tuple[int, int]) -> Image.Image:
    """`tile` pasted at `at` on a `size` canvas, its edge pixels stretched to every side."""
    w, h = size
    x0, y0 = at
    tw, th = tile.size
    out = Image.new("RGB", size)
    out.paste(tile, at)
    # Vertically over the tile's columns first, then horizontally over the full height,
    # so the corners take the corner colours.
    if y0 > 0:
        out.paste(tile.crop((0, 0, tw, 1)).resize((tw, y0)), (x0, 0))
    if y0 + th < h:
        out.paste(tile.crop((0, th - 1, tw, th)).resize((tw, h - y0 - th)), (x0, y0 + th))
    if x0 > 0:
        out.paste(out.crop((x0, 0, x0 + 1, h)).resize((x0, h)), (0, 0))
    if x0 + tw < w:
        out.paste(out.crop((x0 + tw - 1, 0, x0 + tw, h)).resize((w - x0 - tw, h)), (x0 + tw, 0))
    return out


def _feather_mask(size: tuple[int, int], inner: tuple[bool, bool, bool, bool]) -> Pixels:
    """Opaque, fading out over _FEATHER px along the edges that lie inside the canvas
    (`inner` = left, top, right, bottom); edges on the canvas border stay hard."""
    w, h = size
    f = _FEATHER // _K
    sw, sh = max(1, math.ceil(w / _K)), max(1, math.ceil(h / _K))
    small = Image.new("L", (sw + 2 * f, sh + 2 * f), 0)
    box = (
        2 * f if inner[0] else 0,
        2 * f if inner[1] else 0,
        sw - 1 if inner[2] else sw + 2 * f,
        sh - 1 if inner[3] else sh + 2 * f,
    )
    ImageDraw.Draw(small).rectangle(box, fill=255)
    small = small.filter(ImageFilter.GaussianBlur(f / 2)).crop((f, f, f + sw, f + sh))
    return cv2.resize(np.asarray(small), size, interpolation=cv2.INTER_LINEAR)  # type: ignore[return-value]


def _opaque_rect(mask: Pixels) -> tuple[int, int, int, int] | None:
    """A rectangle where `mask` is fully opaque (the feathered mask is opaque in its
    middle): from the middle row and column, shrunk until it holds only 255s."""
    h, w = mask.shape
    cols = np.flatnonzero(mask[h // 2] == 255)
    rows = np.flatnonzero(mask[:, w // 2] == 255)
    if not cols.size or not rows.size:
        return None
    x0, x1, y0, y1 = int(cols[0]), int(cols[-1]) + 1, int(rows[0]), int(rows[-1]) + 1
    # The blurred corners fall short of 255 a little inside where the edges do.
    for _ in range(16):
        if x1 <= x0 or y1 <= y0:
            return None
        if cv2.minMaxLoc(mask[y0:y1, x0:x1])[0] == 255:
            return x0, y0, x1, y1
        x0, y0 = x0 + (x0 > 0) * 4, y0 + (y0 > 0) * 4
        x1, y1 = x1 - (x1 < w) * 4, y1 - (y1 < h) * 4
    return None


def _blend(under: Pixels, over: Pixels, mask: Pixels) -> None:
    """`over` composited onto `under` in place through `mask` (as Pillow's masked paste,
    to within a level). Only the feathered edges are blended: where the mask is opaque
    (a rectangle inside them) the scene is copied."""
    h, w = mask.shape
    inner = _opaque_rect(mask)
    if inner is None:
        parts = [(0, 0, w, h)]
    else:
        x0, y0, x1, y1 = inner
        under[y0:y1, x0:x1] = over[y0:y1, x0:x1]
        parts = [(0, 0, w, y0), (0, y1, w, h), (0, y0, x0, y1), (x1, y0, w, y1)]
    for px0, py0, px1, py1 in parts:
        if px1 <= px0 or py1 <= py0:
            continue
        weight = mask[py0:py1, px0:px1].astype(np.float32) * np.float32(1 / 255)
        part = under[py0:py1, px0:px1]
        part[...] = cv2.blendLinear(over[py0:py1, px0:px1], part, weight, 1 - weight)


def extend_scene(source: Image.Image, placement: Placement, size: tuple[int, int]) -> Pixels:
    """The canvas (a new array) for a placement that does not cover it (see the module
    docstring)."""
    w, h = size
    s, (ox, oy) = placement.scale, placement.offset
    x0, y0 = max(0, round(ox)), max(0, round(oy))
    x1, y1 = min(w, round(ox + source.width * s)), min(h, round(oy + source.height * s))
    # Rounding to whole output pixels can reach a hair past the scene's edge.
    box = (
        max(0.0, (x0 - ox) / s),
        max(0.0, (y0 - oy) / s),
        min(float(source.width), (x1 - ox) / s),
        min(float(source.height), (y1 - oy) / s),
    )
    sharp = resize_array(source, (x1 - x0, y1 - y0), box)

    small_size = (math.ceil(w / _K), math.ceil(h / _K))
    tw, th = max(1, (x1 - x0) // _K), max(1, (y1 - y0) // _K)
    # _K x _K box averages (the scene's last < _K rows/columns left out): OpenCV's fast
    # path for whole-number area reductions.
    cells = sharp[: th * _K, : tw * _K] if sharp.shape[0] >= _K and sharp.shape[1] >= _K else sharp
    small = cv2.resize(cells, (tw, th), interpolation=cv2.INTER_AREA)
    tile = Image.fromarray(cv2.cvtColor(small, cv2.COLOR_RGBA2RGB) if small.shape[2] == 4 else small)
    at = (x0 // _K, y0 // _K)
    back = _clamp_extend(tile, at, small_size)
    busy = _edges_busy(tile)
    back = back.filter(ImageFilter.GaussianBlur(6 if busy else 3))
    if busy:
        # Darken the extension with distance from the scene, up to ~30% at the far edge.
        hole = Image.new("L", small_size, 255)
        hole.paste(0, (at[0], at[1], at[0] + tile.width, at[1] + tile.height))
        shade = hole.filter(ImageFilter.GaussianBlur(max(small_size) / 6)).point(lambda v: v * 80 // 255)
        back.paste((0, 0, 0), (0, 0), shade)
    back_pixels = np.asarray(back)
    if sharp.shape[2] == 4:
        back_pixels = cv2.cvtColor(back_pixels, cv2.COLOR_RGB2RGBA)  # type: ignore[assignment]
    canvas: Pixels = cv2.resize(back_pixels, size, interpolation=cv2.INTER_LINEAR)  # type: ignore[assignment]
    inner = (x0 > 0, y0 > 0, x1 < w, y1 < h)
    _blend(canvas[y0:y1, x0:x1], sharp, _feather_mask((x1 - x0, y1 - y0), inner))
    return canvas
