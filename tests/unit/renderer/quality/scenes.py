"""Product photos and staged scenes for the fidelity tests, built inline (nothing on disk)."""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageDraw

from localdev.image_alter import alter_product
from localdev.image_scenes import compose_on_scene
from tests.integration.pages import product_photo


def labelled_photo(size: int = 800) -> bytes:
    """The shop's bottle with a printed label: text and a seal give it features to match."""
    img = Image.open(io.BytesIO(product_photo(size))).convert("RGB")
    draw = ImageDraw.Draw(img)
    w = size // 4
    left, top = (size - w) // 2, size // 4
    draw.rectangle([left + 6, top + size // 8, left + w - 6, top + size // 3], fill=(240, 236, 220))
    for i, line in enumerate(["NORTHWIND", "COPPER", "OIL 500ml", "EST 1921", "No. 7", "extra"]):
        draw.text((left + 12, top + size // 8 + 8 + i * 16), line, fill=(30, 30, 30))
    draw.ellipse([left + w // 2 - 20, top + size // 3 - 50, left + w // 2 + 20, top + size // 3 - 10],
                 outline=(180, 30, 30), width=3)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88)
    return out.getvalue()


PHOTOS = {"plain": product_photo, "labelled": labelled_photo}


def staged(photo: bytes, alteration: str | None = None, palette: int = 0) -> bytes:
    """What the local image server answers for this photo (altered as asked), as PNG bytes."""
    image = Image.open(io.BytesIO(photo))
    if alteration is not None:
        image = alter_product(image, alteration)
    return base64.b64decode(compose_on_scene(image, 1024, 1024, palette, "png"))
