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

from PIL import Image, ImageDraw, ImageFilter, ImageStat

from services.renderer.overlay.placement import Placement

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


def _feather_mask(size: tuple[int, int], inner: tuple[bool, bool, bool, bool]) -> Image.Image:
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
    return small.resize(size, Image.Resampling.BILINEAR)


def extend_scene(source: Image.Image, placement: Placement, size: tuple[int, int]) -> Image.Image:
    """The canvas for a placement that does not cover it (see the module docstring)."""
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
    resample = Image.Resampling.BICUBIC if s > 1.2 else Image.Resampling.BILINEAR
    sharp = source.resize((x1 - x0, y1 - y0), resample, box=box)

    small_size = (math.ceil(w / _K), math.ceil(h / _K))
    tile = sharp.resize((max(1, (x1 - x0) // _K), max(1, (y1 - y0) // _K)), Image.Resampling.BOX)
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
    canvas = back.resize(size, Image.Resampling.BILINEAR)
    inner = (x0 > 0, y0 > 0, x1 < w, y1 < h)
    canvas.paste(sharp, (x0, y0), _feather_mask(sharp.size, inner))
    return canvas
