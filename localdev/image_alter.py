"""The local image server's altered-product mode: the drift real image models show.

Models asked to stage a product photo sometimes repaint the product: another colour, a
bent shape, a different label. With the mode on, a share of the server's edit answers
(``alter_rate``, or the kinds queued in ``alter_next``) stage an altered copy of the
uploaded photo instead of the photo itself, so the renderer's quality gate can be shown
catching it end to end:

- ``recolour``: the product's hue turned half way round the colour wheel;
- ``warp``: the product bent (a sine wave across it) and squashed to 80% of its width;
- ``label``: the middle third of the product replaced by another label (stripes and a
  word), as if the model had swapped the brand.

Switches: ``IMAGE_API_ALTER_RATE`` / ``--alter-rate`` (0..1), ``IMAGE_API_ALTER_KINDS`` /
``--alter-kinds`` (comma-separated, default all three), and ``POST /_control`` with
``{"alter_rate": 0.5, "alter_kinds": ["warp"], "alter_next": ["label"]}``. Which answers
were altered shows in ``GET /_stats`` (``recent[].altered``).

Blocking (Pillow, numpy): the server calls ``alter_product`` on a worker thread.
"""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageOps

__all__ = ["ALTERATIONS", "alter_product", "pick_alteration"]

ALTERATIONS = ("recolour", "warp", "label")


def pick_alteration(alter_next: list[str], rate: float, kinds: list[str]) -> str | None:
    """The alteration for this answer: the next queued one, else one at ``rate``, else None."""
    if alter_next:
        return alter_next.pop(0)
    if rate and kinds and random.random() < rate:
        return random.choice(kinds)
    return None


def _product_box(photo: Image.Image) -> tuple[int, int, int, int]:
    """Where the product is: cells unlike the photo's corner colour (the studio backdrop)."""
    rgb = np.asarray(photo.convert("RGB"), dtype=np.int16)
    corner = np.median(np.concatenate([rgb[:4, :4].reshape(-1, 3), rgb[-4:, -4:].reshape(-1, 3)]), axis=0)
    differs = np.abs(rgb - corner).max(axis=2) > 30
    ys, xs = np.nonzero(differs)
    if len(xs) == 0:
        return 0, 0, photo.width, photo.height
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def alter_product(photo: Image.Image, kind: str) -> Image.Image:
    """A copy of ``photo`` whose product is altered by ``kind`` (one of ``ALTERATIONS``)."""
    if kind not in ALTERATIONS:
        raise ValueError(f"unknown alteration {kind!r}; expected one of {', '.join(ALTERATIONS)}")
    image = photo.convert("RGBA") if photo.mode in ("RGBA", "LA", "PA") else photo.convert("RGB")
    box = _product_box(image)
    product = image.crop(box)
    if kind == "recolour":
        altered = _recolour(product)
    elif kind == "warp":
        altered = _warp(product, background=image.getpixel((0, 0)))
    else:
        altered = _swap_label(product)
    out = image.copy()
    out.paste(altered, box[:2])
    return out


def _recolour(product: Image.Image) -> Image.Image:
    hsv = np.asarray(product.convert("RGB").convert("HSV")).copy()
    hsv[..., 0] = (hsv[..., 0].astype(np.int16) + 128) % 256
    # Greys have no hue to turn: tint them too, so a black-and-white product changes as well.
    hsv[..., 1] = np.maximum(hsv[..., 1], 120)
    recoloured = Image.fromarray(hsv, "HSV").convert("RGB")
    corner = np.asarray(product.convert("RGB"), dtype=np.int16)
    backdrop = np.abs(corner - corner[0, 0]).max(axis=2) <= 30
    result = np.where(backdrop[..., None], np.asarray(product.convert("RGB")), np.asarray(recoloured))
    return Image.fromarray(result.astype(np.uint8), "RGB").convert(product.mode)


def _warp(product: Image.Image, background: object) -> Image.Image:
    w, h = product.size
    pixels = np.asarray(product)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    # A sine across the height bends the product sideways; edge pixels repeat, nothing wraps.
    bend = (np.sin(ys / max(1, h) * 2 * np.pi) * w * 0.12).astype(np.float32)
    bent = cv2.remap(pixels, xs - bend, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    narrow = Image.fromarray(bent).resize((max(1, round(w * 0.8)), h), Image.Resampling.BILINEAR)
    fill = background if isinstance(background, tuple) else (246, 246, 244)
    canvas = Image.new(product.mode, (w, h), fill)  # type: ignore[arg-type]
    canvas.paste(narrow, ((w - narrow.width) // 2, 0))
    return canvas


def _swap_label(product: Image.Image) -> Image.Image:
    w, h = product.size
    label = Image.new("RGB", (w, max(1, h // 3)), (250, 210, 40))
    draw = ImageDraw.Draw(label)
    for x in range(-h, w, max(6, w // 8)):
        draw.line([(x, 0), (x + label.height, label.height)], fill=(200, 30, 60), width=max(3, w // 24))
    draw.text((w // 8, label.height // 3), "OTHER", fill=(20, 20, 20))
    altered = product.copy()
    altered.paste(ImageOps.mirror(label).convert(product.mode), (0, h // 3))
    return altered
