from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from services.common.product import Product
from services.renderer.formats import FORMATS, OUTPUTS, encode
from services.renderer.overlay import OverlayOptions, render_variant
from services.renderer.overlay.crop import cover_box, focus_point

PRODUCT = Product(
    name="Ceramic Pour-Over Coffee Set",
    price="49",
    regularPrice="69",
    currency="EUR",
    brand="Kinto",
    language="fr",
)


def scene_with_product(size: tuple[int, int] = (1024, 1024), at: tuple[int, int] = (512, 400)) -> Image.Image:
    im = Image.new("RGB", size, (236, 230, 220))
    x, y = at
    ImageDraw.Draw(im).ellipse((x - 120, y - 120, x + 120, y + 120), fill=(30, 80, 160))
    return im


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_has_its_exact_size(fmt: str) -> None:
    """square 1080x1080, landscape 1200x628, story 1080x1920, whatever the model size."""
    for source in ((1024, 1024), (1536, 1024), (1024, 1536)):
        variant = render_variant(scene_with_product(source), PRODUCT, format=fmt)
        assert variant.image.size == FORMATS[fmt] and variant.image.mode == "RGB"


def test_scene_is_cropped_not_stretched() -> None:
    """A circle in the scene stays a circle in the story crop (uniform scale)."""
    variant = render_variant(scene_with_product(), Product(), format="story")
    blue = (
        variant.image.point(lambda v: 255 if v < 120 else 0)
        .convert("L")
        .point(lambda v: 255 if v > 200 else 0)
    )
    x0, y0, x1, y1 = blue.getbbox()  # type: ignore[misc]
    assert abs((x1 - x0) - (y1 - y0)) <= 3


def test_crop_keeps_the_product_in_frame() -> None:
    """An off-centre product is found and kept inside a narrow crop."""
    scene = scene_with_product(at=(800, 500))
    fx, fy = focus_point(scene)
    assert 0.72 < fx < 0.84 and 0.42 < fy < 0.56
    left, _, right, _ = cover_box(scene.size, FORMATS["story"], (fx, fy))
    assert left <= 800 - 120 and right >= 800 + 120


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_text_stays_inside_and_clear_of_the_badge(fmt: str) -> None:
    """Blocks lie inside the canvas and never intersect the offer badge, even for a
    long name in the short landscape format."""
    product = Product(
        name="Extra Long Product Name " * 6,
        price="1234567.89",
        regularPrice="2345678.90",
        currency="EUR",
        brand="A Very Long Brand Name Indeed",
        offer="Black Friday: 2 for 1",
        language="de",
    )
    variant = render_variant(scene_with_product(), product, format=fmt)
    w, h = FORMATS[fmt]
    badge = variant.badge_box
    assert badge is not None
    for block in variant.blocks:
        x0, y0, x1, y1 = block.mask.getbbox()  # type: ignore[misc]
        ink = (block.origin[0] + x0, block.origin[1] + y0, block.origin[0] + x1, block.origin[1] + y1)
        assert 0 <= ink[0] and 0 <= ink[1] and ink[2] <= w and ink[3] <= h, (block.kind, ink)
        assert ink[2] <= badge[0] or ink[0] >= badge[2] or ink[3] <= badge[1] or ink[1] >= badge[3]


def test_overlay_text_and_switches() -> None:
    """overlay_text lists what was laid out; switches hide parts and overrides replace them."""
    variant = render_variant(scene_with_product(), PRODUCT, format="square")
    assert variant.overlay_text == "Kinto — Ceramic Pour-Over Coffee Set — 49,00\u00a0€ — -29%"
    hidden = render_variant(
        scene_with_product(),
        PRODUCT,
        format="square",
        options=OverlayOptions(show_brand=False, show_offer=False, price="Dès 49 €"),
    )
    assert hidden.overlay_text == "Ceramic Pour-Over Coffee Set — Dès 49 €"
    assert hidden.badge_box is None and {b.kind for b in hidden.blocks} == {"name", "price"}


def test_empty_product_renders_the_scene_only() -> None:
    """With no facts at all the scene is still delivered, without empty text boxes."""
    variant = render_variant(scene_with_product(), Product(), format="square")
    assert variant.blocks == () and variant.overlay_text == ""


@pytest.mark.parametrize("output", sorted(OUTPUTS))
def test_encoding_is_srgb_without_metadata(output: str) -> None:
    """Encoded files carry no EXIF or ICC profile and decode to the expected size."""
    image = Image.new("RGB", (64, 48), (200, 10, 10))
    image.info["exif"] = b"Exif\x00\x00MM\x00*"
    data = encode(image, output)
    decoded = Image.open(io.BytesIO(data))
    assert decoded.format.lower() == output  # type: ignore[union-attr]
    assert decoded.size == (64, 48)
    assert "exif" not in decoded.info and "icc_profile" not in decoded.info
