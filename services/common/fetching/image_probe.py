"""Check that downloaded bytes are a product image we can use, without decoding it.

``Image.open`` reads only the header, so the pixel limit is enforced before anything
allocates width x height x channels bytes (a 1 KB PNG can claim 100000 x 100000 pixels).
Blocking: call ``probe_image`` off the event loop.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError, features

from services.common.fetching.fetch_errors import NotAnImageError, TooLargeError

__all__ = ["IMAGE_TYPES", "ImageInfo", "probe_image"]

SUPPORTED_FORMATS = frozenset(
    {"JPEG", "PNG", "WEBP", "GIF"} | ({"AVIF"} if features.check("avif") else set())
)
IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/webp", "image/gif"}
    | ({"image/avif"} if "AVIF" in SUPPORTED_FORMATS else set())
)


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int


def probe_image(body: bytes, max_pixels: int) -> ImageInfo:
    """Format and size from the image header; raise NotAnImageError or TooLargeError."""
    try:
        with warnings.catch_warnings():
            # Our own limit below replaces Pillow's global DecompressionBombWarning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(body)) as image:
                fmt, (width, height) = image.format, image.size
    except Image.DecompressionBombError as exc:
        raise TooLargeError("The product image has far too many pixels to process") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise NotAnImageError("The image URL did not return an image we can read") from exc
    if fmt not in SUPPORTED_FORMATS:
        names = ", ".join(sorted(SUPPORTED_FORMATS))
        raise NotAnImageError(f"The product image is a {fmt} file; we accept {names}")
    if width * height > max_pixels:
        raise TooLargeError(
            f"The product image is {width} x {height} pixels, more than the {max_pixels:,} pixels we accept"
        )
    return ImageInfo(content_type=Image.MIME.get(fmt, f"image/{fmt.lower()}"), width=width, height=height)
