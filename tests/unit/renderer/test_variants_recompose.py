"""Each format keeps the whole product in view, clear of the text and the badge, at a
uniform scale: the scene is re-composed per format, never stretched or cut."""

from __future__ import annotations

import random

import pytest
from PIL import Image, ImageDraw, ImageFilter

from services.common.product import Product
from services.renderer.formats import FORMATS
from services.renderer.overlay import render_variant
from services.renderer.overlay.crop import subject_box

PRODUCT = Product(
    name="Kiln Ceramic Pour-Over Coffee Set – Sage",
    price="129.00",
    regularPrice="159.00",
    currency="USD",
    brand="Northwind Goods",
    language="en",
)
RTL_PRODUCT = Product(name="סט קפה פור-אובר קרמי", price="129", regularPrice="159", currency="ILS", language="he")
PRODUCT_BOX = (362, 180, 662, 700)  # a tall product, centred a little high, as generators do


def studio(size: tuple[int, int] = (1024, 1024)) -> Image.Image:
    """A vertical studio gradient with the product (body and cap) standing on it."""
    im = Image.linear_gradient("L").resize(size).point(lambda v: 235 - v // 4)
    im = Image.merge("RGB", [im, im, im.point(lambda v: v - 10)])
    x0, y0, x1, y1 = PRODUCT_BOX
    draw = ImageDraw.Draw(im)
    draw.rectangle((x0, y0 + 120, x1, y1), fill=(40, 90, 70))
    draw.ellipse((x0 + 60, y0, x1 - 60, y0 + 180), fill=(150, 60, 40))
    return im


def busy(size: tuple[int, int] = (1024, 1024)) -> Image.Image:
    """A painted-looking scene: blotches everywhere, the product on a lit card."""
    rng = random.Random(3)
    im = Image.new("RGB", size, (90, 120, 100))
    draw = ImageDraw.Draw(im)
    for _ in range(40):
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(20, 90)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(60, 140) for _ in range(3)))
    im = im.filter(ImageFilter.GaussianBlur(3))
    draw = ImageDraw.Draw(im)
    x0, y0, x1, y1 = PRODUCT_BOX
    draw.rectangle((x0 - 30, y0 - 30, x1 + 30, y1 + 30), fill=(246, 244, 238))
    draw.rectangle((x0, y0, x1, y1), fill=(30, 40, 160))
    return im


def _ink_box(block) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    x0, y0, x1, y1 = block.mask.getbbox()
    return block.origin[0] + x0, block.origin[1] + y0, block.origin[0] + x1, block.origin[1] + y1


def _disjoint(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


@pytest.mark.parametrize("scene", [studio, busy])
@pytest.mark.parametrize("product", [PRODUCT, RTL_PRODUCT], ids=["ltr", "rtl"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_product_is_whole_and_clear_of_text_and_badge(fmt: str, product: Product, scene) -> None:  # type: ignore[no-untyped-def]
    """The product's box (found in the scene before compositing, and the known drawn
    box) maps inside the output, away from every text block and the badge."""
    background = scene()
    found = subject_box(background)
    assert found is not None
    # The detector's box holds the whole drawn product.
    assert found[0] <= PRODUCT_BOX[0] and found[1] <= PRODUCT_BOX[1]
    assert found[2] >= PRODUCT_BOX[2] and found[3] >= PRODUCT_BOX[3]

    variant = render_variant(background, product, format=fmt)
    w, h = FORMATS[fmt]
    s, (ox, oy) = variant.scene_scale, variant.scene_offset
    mapped = (found[0] * s + ox, found[1] * s + oy, found[2] * s + ox, found[3] * s + oy)
    assert variant.product_box == pytest.approx(mapped)
    assert 0 <= mapped[0] and 0 <= mapped[1] and mapped[2] <= w and mapped[3] <= h, mapped
    assert variant.blocks and variant.badge_box is not None
    for block in variant.blocks:
        assert _disjoint(mapped, _ink_box(block)), (block.kind, mapped, _ink_box(block))
        assert _disjoint(mapped, block.box), (block.kind, mapped, block.box)
    assert _disjoint(mapped, variant.badge_box)
    # Still legible over the extended backdrop.
    assert min(b.contrast for b in variant.blocks) >= 4.5


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_scene_scale_is_uniform(fmt: str) -> None:
    """The product keeps its proportions: its drawn body measures the same aspect ratio
    in the output as in the scene, and sits where the reported transform puts it."""
    variant = render_variant(studio(), Product(name="Set", price="9", currency="USD"), format=fmt)
    s, (ox, oy) = variant.scene_scale, variant.scene_offset
    x0, y0, x1, y1 = PRODUCT_BOX
    body = (x0, y0 + 120, x1, y1)  # the green body
    green = variant.image.convert("RGB").point(lambda v: v)
    r, g, b = green.split()
    mask = Image.eval(
        Image.merge("RGB", (r.point(lambda v: 255 if v < 70 else 0),
                            g.point(lambda v: 255 if 70 <= v <= 110 else 0),
                            b.point(lambda v: 255 if v < 90 else 0))).convert("L"),
        lambda v: 255 if v > 250 else 0,
    )
    got = mask.getbbox()
    assert got is not None
    want = (body[0] * s + ox, body[1] * s + oy, (body[2] + 1) * s + ox, (body[3] + 1) * s + oy)
    assert got == pytest.approx(want, abs=3)
    ratio = (body[2] - body[0] + 1) / (body[3] - body[1] + 1)
    assert (got[2] - got[0]) / (got[3] - got[1]) == pytest.approx(ratio, rel=0.03)


def test_landscape_puts_product_opposite_the_text() -> None:
    """Text left and product right; mirrored for right-to-left languages."""
    ltr = render_variant(studio(), PRODUCT, format="landscape")
    rtl = render_variant(studio(), RTL_PRODUCT, format="landscape")
    assert ltr.product_box and rtl.product_box
    assert ltr.product_box[0] > max(b.box[2] for b in ltr.blocks)
    assert rtl.product_box[2] < min(b.box[0] for b in rtl.blocks)


def test_story_product_above_the_text() -> None:
    variant = render_variant(studio(), PRODUCT, format="story")
    assert variant.product_box is not None
    assert variant.product_box[3] <= min(b.box[1] for b in variant.blocks)


def test_full_bleed_scene_is_cover_cropped() -> None:
    """No distinct subject: the scene fills the canvas as before (nothing to keep clear)."""
    noise = Image.frombytes("L", (1024, 1024), random.Random(1).randbytes(1024 * 1024)).convert("RGB")
    assert subject_box(noise) is None
    variant = render_variant(noise, PRODUCT, format="landscape")
    assert variant.product_box is None and variant.scene_scale == pytest.approx(1200 / 1024)
