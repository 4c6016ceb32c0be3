"""Scaling the scene to the output size, quickly.

Pillow's resampler is scalar: a 1024 -> 1080 bilinear upscale costs ~2/3 of decoding the
PNG it comes from. OpenCV's `cv2.resize` is SIMD and ~5x faster including the copies to
and from Pillow, so the scene is resampled as a numpy array and the compositing that
follows works on that array until the text and scrim are on. The array is HxWx4 uint8,
RGBX: Pillow stores RGB pixels in 4 bytes, so the copy in is a row copy and the copy out
is none (the finished image wraps the array).

`cv2.resize` maps a whole-pixel rectangle of the source exactly (same pixel-centre
convention as Pillow's `resize(box=...)`); a fractional box is rounded to whole source
pixels first, which moves the crop by under half a source pixel. Filters: INTER_CUBIC
for enlargements above 1.2x (story crops grow ~1.9x), INTER_LINEAR from 0.75x to 1.2x
(a 1024 px model image to 1080 px), a small Gaussian then INTER_LINEAR from 0.5x
(antialiased like Pillow's bilinear, ~4x faster than OpenCV's INTER_AREA at such
factors), INTER_AREA below.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

__all__ = ["PARALLEL", "Pixels", "resize_array", "to_array", "to_image"]

Pixels = npt.NDArray[np.uint8]  # HxWx4 RGBX (the canvas), HxWx3 RGB, or HxW for a mask

# OpenCV may use two threads for a resample. An idle worker (the usual case: most of a
# job is waiting on the model) then renders one picture ~2 ms sooner; a busy one loses
# nothing: 2 and 4 threads resizing at once got as many resizes a second through as with
# one OpenCV thread each, and bench_renderer_capacity.py took 13.3-14.0 s for its 100
# jobs with two threads against 14.3-15.0 s with one.
PARALLEL = True


_threads_set: bool | None = None


def _threads() -> None:
    # Reconfigures OpenCV's (process-wide) pool only when PARALLEL changed: the worker
    # renders from several threads at once.
    global _threads_set
    if _threads_set is not PARALLEL:
        cv2.setNumThreads(2 if PARALLEL else 1)
        _threads_set = PARALLEL


_threads()


def to_array(image: Image.Image) -> Pixels:
    """An RGB image's pixels as an HxWx4 array (RGBX: Pillow's own layout for RGB, the
    fourth byte is padding), in one memory copy: the image's storage is pasted into a
    Pillow image that wraps the new array. Other modes are converted to RGB first."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    image.load()
    w, h = image.size
    pixels: Pixels = np.empty((h, w, 4), dtype=np.uint8)
    try:
        # Image.frombuffer wraps RGBX memory without copying; the core paste copies
        # whole rows (RGB and RGBX are both 4 bytes per pixel). ~0.4 ms for 1024x1024,
        # against ~1.3 ms for np.asarray (tobytes, packing to 3 bytes, then a join).
        Image.frombuffer("RGBX", (w, h), pixels, "raw", "RGBX", 0, 1).im.paste(image.im, (0, 0, w, h))
    except (AttributeError, TypeError, ValueError):  # a Pillow without these internals
        pixels[...] = np.frombuffer(image.tobytes("raw", "RGBX"), dtype=np.uint8).reshape(h, w, 4)
    return pixels


def to_image(pixels: Pixels) -> Image.Image:
    """A Pillow RGB image of the array's pixels. An HxWx4 (RGBX) array is wrapped without
    copying: the image then shares the array's memory (~1.3 ms saved at 1080x1080)."""
    if pixels.ndim == 3 and pixels.shape[2] == 4 and pixels.flags.c_contiguous:
        size = (pixels.shape[1], pixels.shape[0])
        try:
            return Image.new("RGB", (0, 0))._new(Image.core.map_buffer(pixels, size, "raw", 0, ("RGB", 0, 1)))
        except (AttributeError, TypeError, ValueError):  # a Pillow without these internals
            image = Image.new("RGB", size, None)
            image.frombytes(pixels, "raw", "RGBX")
            return image
    if pixels.ndim == 3 and pixels.shape[2] == 3 and pixels.flags.c_contiguous:
        image = Image.new("RGB", (pixels.shape[1], pixels.shape[0]), None)  # not cleared first
        image.frombytes(pixels)
        return image
    return Image.fromarray(pixels)


def _snap(box: tuple[float, float, float, float], width: int, height: int) -> tuple[int, int, int, int]:
    x0, y0 = min(max(0, round(box[0])), width - 1), min(max(0, round(box[1])), height - 1)
    x1, y1 = max(x0 + 1, min(width, round(box[2]))), max(y0 + 1, min(height, round(box[3])))
    return x0, y0, x1, y1


def resize_array(
    source: Image.Image | Pixels, size: tuple[int, int], box: tuple[float, float, float, float]
) -> Pixels:
    """`box` of `source` scaled to exactly `size` (the caller keeps the aspect ratio), as
    a new, writable array (HxWx4 RGBX from a Pillow image; an array keeps its channels).
    OpenCV resamples four channels a little faster than three."""
    _threads()
    if isinstance(source, Image.Image):
        sw, sh = source.size
        x0, y0, x1, y1 = _snap(box, sw, sh)
        if (x1 - x0) * (y1 - y0) < 0.6 * sw * sh:
            source = source.crop((x0, y0, x1, y1))  # copy only what is used
            x1, y1, x0, y0 = x1 - x0, y1 - y0, 0, 0
        pixels = to_array(source)
    else:
        pixels = source
        x0, y0, x1, y1 = _snap(box, pixels.shape[1], pixels.shape[0])
    roi = pixels[y0:y1, x0:x1]
    if roi.shape[1] == size[0] and roi.shape[0] == size[1]:
        return roi.copy()
    scale = size[1] / (y1 - y0)
    if scale > 1.2:
        interpolation = cv2.INTER_CUBIC
    elif scale >= 0.75:
        interpolation = cv2.INTER_LINEAR
    elif scale >= 0.5:
        # Bilinear samples 2x2 source pixels: below 0.75x it would skip detail and alias.
        # A small Gaussian first gives it the footprint of a triangle filter of the right
        # width (Pillow's antialiased bilinear): variances add, 1/6 per unit tent.
        sigma = math.sqrt((1 / scale**2 - 1) / 6)
        roi = cv2.GaussianBlur(roi, (0, 0), sigma)  # type: ignore[assignment]
        interpolation = cv2.INTER_LINEAR
    else:
        interpolation = cv2.INTER_AREA  # exact area averages; slower, and rarely needed
    return cv2.resize(roi, size, interpolation=interpolation)  # type: ignore[return-value]
