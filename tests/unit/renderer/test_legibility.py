from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps

from services.common.product import Product
from services.renderer.overlay import RenderedVariant, render_variant
from services.renderer.overlay.contrast import contrast_ratio, luminance
from tests.unit.renderer import backgrounds

PRODUCT = Product(
    name="Trail Runner Waterproof Hiking Shoes",
    price="129.90",
    regularPrice="159.90",
    currency="USD",
    brand="Alpina",
    language="en",
)


def worst_contrast_under_text(variant: RenderedVariant) -> float:
    """Recomputes, from the final pixels, the worst ratio between the text colour and
    every pixel in the text boxes that no glyph touched."""
    ink = Image.new("L", variant.image.size, 0)
    for block in variant.blocks:
        ink.paste(
            ImageChops.lighter(
                ink.crop(
                    (*block.origin, block.origin[0] + block.mask.width, block.origin[1] + block.mask.height)
                ),
                block.mask,
            ),
            block.origin,
        )
    untouched = ink.point(lambda v: 255 if v == 0 else 0)
    worst = 21.0
    for block in variant.blocks:
        text = luminance(block.color)
        # Glyph pixels are painted with a colour of maximal contrast so only background
        # pixels can lower the minimum.
        probe = Image.new("RGB", variant.image.size, (0, 0, 0) if text > 0.5 else (255, 255, 255))
        probe.paste(variant.image, (0, 0), untouched)
        for _, rgb in probe.crop(block.box).getcolors(maxcolors=1 << 24) or []:
            worst = min(worst, contrast_ratio(text, luminance(rgb)))
    return worst


@pytest.mark.parametrize("background", sorted(backgrounds.ALL))
@pytest.mark.parametrize("fmt", ["square", "landscape", "story"])
def test_text_meets_wcag_aa_on_any_background(background: str, fmt: str) -> None:
    """On dark, light, noise and stripes, every text block reaches >= 4.5:1 against every
    pixel under it, measured on the composited output."""
    variant = render_variant(backgrounds.ALL[background](), PRODUCT, format=fmt)
    assert {b.kind for b in variant.blocks} == {"brand", "name", "price", "regular_price"}
    assert worst_contrast_under_text(variant) >= 4.5
    assert all(b.contrast >= 4.5 for b in variant.blocks)


def test_plain_backgrounds_need_no_scrim() -> None:
    """Dark scenes get white text and light scenes dark text, with no scrim at all."""
    on_dark = render_variant(backgrounds.dark(), PRODUCT, format="square")
    on_light = render_variant(backgrounds.light(), PRODUCT, format="square")
    assert on_dark.scrim_alpha == 0 and on_dark.blocks[0].color == (255, 255, 255)
    assert on_light.scrim_alpha == 0 and luminance(on_light.blocks[0].color) < 0.05


def test_busy_backgrounds_get_a_scrim() -> None:
    """Noise needs a scrim; it is as light as the measurement allows, not opaque."""
    variant = render_variant(backgrounds.noise(), PRODUCT, format="square")
    assert 0.3 < variant.scrim_alpha < 1.0


def _ocr(image: Image.Image, tmp_path: Path, *, light_text: bool, single_line: bool) -> str:
    """Tesseract on one text block, as a reader sees it: dark text on light, with margin."""
    grey = image.convert("L")
    # 4.5:1 means the text separates from every background pixel by luminance alone:
    # light text sits above grey ~118 and dark text below ~140 can't be reached by the
    # background, so one threshold between them recovers the glyphs, as the eye does.
    cut = 186 if light_text else 78
    grey = grey.point(lambda v: 0 if (v > cut) == light_text else 255)
    # Small text on noise: twice the size gives tesseract strokes wider than the grain.
    if grey.height < 80:
        grey = grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.NEAREST)
    grey = ImageOps.expand(grey, 24, fill=255)
    path = tmp_path / "ocr.png"
    grey.save(path)
    psm = "7" if single_line else "6"
    out = subprocess.run(
        ["tesseract", str(path), "stdout", "--psm", psm], capture_output=True, text=True, timeout=60
    )
    return " ".join(out.stdout.split())


@pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract-ocr is not installed (apt-get install tesseract-ocr)"
)
@pytest.mark.parametrize("background", sorted(backgrounds.ALL))
def test_rendered_words_read_back_by_ocr(background: str, tmp_path: Path) -> None:
    """Tesseract reads the brand, name, price and badge back from the rendered image."""
    variant = render_variant(backgrounds.ALL[background](), PRODUCT, format="square")
    expected = {"brand": "ALPINA", "name": "Trail Runner Waterproof Hiking Shoes", "price": "$129.90"}
    for block in variant.blocks:
        if block.kind not in expected:
            continue  # the struck-through old price is deliberately hard to read
        light = luminance(block.color) > 0.5
        read = _ocr(
            variant.image.crop(block.box), tmp_path, light_text=light, single_line=block.kind != "name"
        )
        assert read.rstrip(".:,") == expected[block.kind], (block.kind, read)
    assert variant.badge_box is not None
    x0, y0, x1, y1 = variant.badge_box
    inner = round((x1 - x0) * 0.2)  # inside the disc: the accent red, not the scene
    badge = _ocr(
        variant.image.crop((x0 + inner, y0 + inner, x1 - inner, y1 - inner)),
        tmp_path,
        light_text=True,
        single_line=True,
    )
    assert badge.replace(" ", "") == "-19%", badge
