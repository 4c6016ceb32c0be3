"""The product photo as OpenAI's edit endpoint takes it: passed through when it can be,
else turned upright, scaled and re-encoded."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

__all__ = ["EditPhoto", "prepare_photo"]

_PHOTO_MAX_SIDE = 2048  # larger than any output size: more pixels only slow the upload
_PHOTO_MAX_BYTES = 25 * 1024 * 1024  # well under the endpoint's 50 MB per image


@dataclass(frozen=True, slots=True)
class EditPhoto:
    """The input image as uploaded to the edit endpoint."""

    data: bytes
    content_type: str
    filename: str


# What the edit endpoint takes as it is (gpt-image models: PNG, JPEG or WebP under 50 MB),
# with the pixel modes each format may carry without a conversion.
_PASSTHROUGH = {
    "PNG": ("image/png", "product.png", frozenset({"RGB", "RGBA", "L", "LA", "P"})),
    "JPEG": ("image/jpeg", "product.jpg", frozenset({"RGB", "L"})),
    "WEBP": ("image/webp", "product.webp", frozenset({"RGB", "RGBA"})),
}
_EXIF_ORIENTATION = 0x0112


def prepare_photo(data: bytes) -> EditPhoto | None:
    """The photo as the edit endpoint accepts it, or None when it is not an image.

    A PNG, JPEG or WebP that needs no rotation and is within the size limit is sent as it
    is (re-encoding a photo costs more than the upload it would save). Anything else is
    decoded, turned upright (EXIF), scaled to the limit and re-encoded: PNG when it has
    transparency, else JPEG at high quality. Blocking (Pillow): call it through
    ``asyncio.to_thread``.
    """
    try:
        with Image.open(io.BytesIO(data)) as opened:
            passthrough = _PASSTHROUGH.get(opened.format or "")
            upright = opened.getexif().get(_EXIF_ORIENTATION, 1) == 1
            if (
                passthrough is not None
                and upright
                and opened.mode in passthrough[2]
                and max(opened.size) <= _PHOTO_MAX_SIDE
                and len(data) <= _PHOTO_MAX_BYTES
            ):
                # Proves it decodes before we pay for an upload; a JPEG only at 1/8 scale.
                opened.draft("RGB", (max(1, opened.width // 8), max(1, opened.height // 8)))
                opened.load()
                return EditPhoto(data, passthrough[0], passthrough[1])
            img: Image.Image = ImageOps.exif_transpose(opened)  # phone photos are often stored sideways
            img.thumbnail((_PHOTO_MAX_SIDE, _PHOTO_MAX_SIDE))
            alpha = "A" in img.getbands() or "transparency" in img.info
            img = img.convert("RGBA" if alpha else "RGB")
            out = io.BytesIO()
            if alpha:
                img.save(out, format="PNG", compress_level=3)
                return EditPhoto(out.getvalue(), "image/png", "product.png")
            img.save(out, format="JPEG", quality=95)
            return EditPhoto(out.getvalue(), "image/jpeg", "product.jpg")
    except Exception:  # any undecodable or hostile file: the prompt-only path still works
        return None
