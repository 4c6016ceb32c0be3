"""prepare_photo: what the edit endpoint is sent for each kind of product photo."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services.renderer.generation.edit_photo import prepare_photo


def encoded(img: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    img.save(out, format=fmt, **params)
    return out.getvalue()


def decoded(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


@pytest.mark.parametrize(
    ("fmt", "mode", "content_type"),
    [("JPEG", "RGB", "image/jpeg"), ("PNG", "RGBA", "image/png"), ("WEBP", "RGBA", "image/webp"),
     ("PNG", "P", "image/png")],
)
def test_accepted_upright_photos_are_sent_byte_for_byte(fmt: str, mode: str, content_type: str) -> None:
    data = encoded(Image.new(mode, (320, 240), 90 if mode == "P" else (200, 30, 40)[: len(mode)]), fmt)
    photo = prepare_photo(data)
    assert photo is not None
    assert (photo.data, photo.content_type) == (data, content_type)
    assert photo.filename.endswith({"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[content_type])


def test_a_sideways_phone_photo_is_turned_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display needs a 90 degree turn
    data = encoded(Image.new("RGB", (400, 200), (10, 120, 200)), "JPEG", exif=exif.tobytes())
    photo = prepare_photo(data)
    assert photo is not None and photo.content_type == "image/jpeg"
    img = decoded(photo.data)
    assert img.size == (200, 400)
    assert img.getexif().get(0x0112, 1) == 1


def test_an_oversized_photo_is_scaled_to_the_limit() -> None:
    photo = prepare_photo(encoded(Image.new("RGB", (4096, 1024), (1, 2, 3)), "JPEG"))
    assert photo is not None and decoded(photo.data).size == (2048, 512)


def test_formats_the_endpoint_refuses_are_converted_keeping_transparency() -> None:
    gif = Image.new("P", (64, 64), 0)
    gif.info["transparency"] = 0
    photo = prepare_photo(encoded(gif, "GIF", transparency=0))
    assert photo is not None and photo.content_type == "image/png"
    assert decoded(photo.data).mode == "RGBA"
    cmyk = prepare_photo(encoded(Image.new("CMYK", (64, 64), (0, 255, 255, 0)), "JPEG"))
    assert cmyk is not None and cmyk.content_type == "image/jpeg"
    assert decoded(cmyk.data).mode == "RGB"


@pytest.mark.parametrize("data", [b"<html>not an image</html>", b"", encoded(Image.new("RGB", (50, 50)), "JPEG")[:200]])
def test_what_does_not_decode_is_refused(data: bytes) -> None:
    assert prepare_photo(data) is None
