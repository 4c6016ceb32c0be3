"""Output variants (sizes) and encodings the renderer publishes.

Encoding always produces sRGB pixels with no metadata: model output and uploaded
photos can carry EXIF (GPS, camera serials) or ICC profiles that we must not leak or
that browsers would interpret differently from what the overlay measured.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageCms

from services.common.image_options import FORMAT_SIZES

__all__ = ["FORMATS", "OUTPUTS", "OutputType", "encode", "to_srgb"]

#: The sizes of the shared contract (services/common/image_options.py).
FORMATS: dict[str, tuple[int, int]] = FORMAT_SIZES


@dataclass(frozen=True, slots=True)
class OutputType:
    name: str
    content_type: str
    extension: str


OUTPUTS: dict[str, OutputType] = {
    "jpeg": OutputType("jpeg", "image/jpeg", "jpg"),
    "png": OutputType("png", "image/png", "png"),
    "webp": OutputType("webp", "image/webp", "webp"),
}

_SRGB = ImageCms.createProfile("sRGB")


def to_srgb(image: Image.Image) -> Image.Image:
    """Returns an RGB image in sRGB, converting from an embedded ICC profile if any."""
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            rgb = image.convert("RGB") if image.mode != "RGB" else image
            converted = ImageCms.profileToProfile(rgb, source, _SRGB, outputMode="RGB")
            if converted is not None:
                image = converted
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: treat the pixels as sRGB, as browsers do
    if image.mode != "RGB":
        image = image.convert("RGB")
    image.info.pop("icc_profile", None)
    image.info.pop("exif", None)
    return image


def encode(image: Image.Image, output: str) -> bytes:
    """Encodes an RGB image as `output` (jpeg/png/webp), sRGB and without metadata."""
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; expected one of {sorted(OUTPUTS)}")
    if image.mode != "RGB":
        image = image.convert("RGB")
    buf = io.BytesIO()
    # Passing no exif/icc_profile/pnginfo keeps encoders from copying image.info.
    if output == "jpeg":
        # 4:2:0 and q=88: visually clean text edges at ~1/3 of the 4:4:4 q95 size.
        image.save(buf, "JPEG", quality=88, subsampling="4:2:0", progressive=False, exif=b"")
    elif output == "png":
        image.save(buf, "PNG", compress_level=6)
    else:
        image.save(buf, "WEBP", quality=86, method=4, exif=b"", icc_profile=None)
    return buf.getvalue()
