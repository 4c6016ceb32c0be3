"""The fallback when the model keeps repainting the product: the real photo, composited.

The model's scene is kept; where it put its (wrong) product, the scene is painted over
from its surroundings (OpenCV inpainting at 1/4 scale, which is all a blurred backdrop
needs), and the product cut out of the source photo stands in that box, bottom-aligned
(a studio photo's own floor shadow comes with the cut-out; no second shadow is drawn: it
would darken the product's foot, which the fidelity check would see). Without a clean
cut-out (a photo of a scene), the photo is framed as a card, as the offline generator does.
Blocking: run on a worker thread.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image, ImageOps

from services.renderer.generation.offline import cutout_alpha

__all__ = ["composite_product"]

_GROW = 0.06  # the painted-over box is a little larger than where the product was found


def composite_product(scene_data: bytes, photo_data: bytes, box: tuple[int, int, int, int] | None) -> bytes:
    """``scene_data`` (PNG) with the photo's product standing in ``box`` (centred when None)."""
    with Image.open(io.BytesIO(scene_data)) as img:
        scene = img.convert("RGB")
    with Image.open(io.BytesIO(photo_data)) as img:
        photo = img.copy()
    w, h = scene.size
    if box is None:
        box = (round(w * 0.2), round(h * 0.15), round(w * 0.8), round(h * 0.75))
    x0, y0, x1, y1 = box
    gx, gy = round((x1 - x0) * _GROW), round((y1 - y0) * _GROW)
    x0, y0, x1, y1 = max(0, x0 - gx), max(0, y0 - gy), min(w, x1 + gx), min(h, y1 + gy)
    scene = _paint_over(scene, (x0, y0, x1, y1))
    alpha = cutout_alpha(photo)
    rgb = photo.convert("RGB")
    if alpha is None:
        rgb = ImageOps.expand(rgb, max(8, min(rgb.size) // 24), fill=(255, 255, 255))
        alpha = Image.new("L", rgb.size, 255)
    else:
        crop = alpha.point(lambda v: 255 if v > 24 else 0).getbbox() or (0, 0, *rgb.size)
        rgb, alpha = rgb.crop(crop), alpha.crop(crop)
    scale = min((x1 - x0) / rgb.width, (y1 - y0) / rgb.height)
    size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
    rgb, alpha = rgb.resize(size, Image.Resampling.LANCZOS), alpha.resize(size, Image.Resampling.LANCZOS)
    px, py = x0 + (x1 - x0 - size[0]) // 2, y1 - size[1]
    scene.paste(rgb, (px, py), alpha)
    out = io.BytesIO()
    scene.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _paint_over(scene: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    small = cv2.resize(np.asarray(scene), None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    mask = np.zeros(small.shape[:2], np.uint8)
    x0, y0, x1, y1 = (v // 4 for v in box)
    mask[y0:y1 + 1, x0:x1 + 1] = 255
    filled = cv2.inpaint(small, mask, 5, cv2.INPAINT_TELEA)
    patch = cv2.resize(filled, scene.size, interpolation=cv2.INTER_LINEAR)
    out = np.asarray(scene).copy()
    bx0, by0, bx1, by1 = box
    out[by0:by1, bx0:bx1] = cv2.GaussianBlur(patch, (0, 0), 3)[by0:by1, bx0:bx1]
    return Image.fromarray(out)
