"""Re-composing a scene for an aspect ratio: cover-crop around the product, never stretch."""

from __future__ import annotations

from typing import cast

from PIL import Image, ImageChops

__all__ = ["cover_box", "focus_point"]

_PROBE = 48  # px: the saliency probe's size; the product is never smaller than a cell


def focus_point(image: Image.Image) -> tuple[float, float]:
    """Where the product is, as fractions of width and height.

    Model scenes put the product on a calmer surround; the centroid of how much each
    pixel differs from the border's average colour finds it without a model. A scene
    with no clear subject averages out near the middle, which is the safe crop anyway.
    """
    factor = max(1, min(image.size) // _PROBE)
    probe = image.reduce(factor) if factor > 1 else image.copy()
    probe = probe.convert("RGB")
    w, h = probe.size
    # getpixel is typed loosely (float | tuple); an RGB probe always yields 3-tuples.
    border = [cast("tuple[int, int, int]", probe.getpixel((x, y))) for x in range(w) for y in (0, h - 1)]
    border += [cast("tuple[int, int, int]", probe.getpixel((x, y))) for y in range(h) for x in (0, w - 1)]
    mean = tuple(sum(p[c] for p in border) // len(border) for c in range(3))
    diff = ImageChops.difference(probe, Image.new("RGB", probe.size, mean)).convert("L")
    values = diff.get_flattened_data() if hasattr(diff, "get_flattened_data") else diff.getdata()
    total = sx = sy = 0.0
    for i, v in enumerate(values):
        if v > 24:  # ignore texture and gradients in the surround
            total += v
            sx += v * (i % w)
            sy += v * (i // w)
    if total == 0:
        return 0.5, 0.5
    return (sx / total + 0.5) / w, (sy / total + 0.5) / h


def cover_box(
    source: tuple[int, int], target: tuple[int, int], focus: tuple[float, float] = (0.5, 0.5)
) -> tuple[float, float, float, float]:
    """The source rectangle that, scaled uniformly, fills `target` with the focus as
    close to the centre as the source's edges allow."""
    sw, sh = source
    tw, th = target
    scale = max(tw / sw, th / sh)
    cw, ch = tw / scale, th / scale
    left = min(max(focus[0] * sw - cw / 2, 0.0), sw - cw)
    top = min(max(focus[1] * sh - ch / 2, 0.0), sh - ch)
    return left, top, left + cw, top + ch
