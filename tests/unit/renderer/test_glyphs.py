from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from services.common.product import Product
from services.renderer.overlay import render_variant
from services.renderer.overlay.fonts import FONT_DIR, chain_for, coverage, face_for, get_font
from services.renderer.overlay.shaping import shape_line

SAMPLES = {
    "ru": "Беспроводные наушники Сони",
    "el": "Ασύρματα ακουστικά Σόνι",
    "zh": "索尼无线降噪耳机",
    "ja": "ソニー ワイヤレスヘッドホン",
    "ko": "소니 무선 헤드폰",
    "ar": "سماعات رأس لاسلكية Sony",
    "he": "אוזניות אלחוטיות Sony",
}


def test_raqm_shaping_is_available() -> None:
    """Pillow has raqm (HarfBuzz + FriBiDi), which Arabic joining and RTL order need."""
    assert features.check("raqm")


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_every_character_has_a_real_glyph(language: str) -> None:
    """Each visible character of the sample is covered by a shipped face's cmap."""
    chain = chain_for("bold", language)
    missing = [c for c in SAMPLES[language] if not c.isspace() and face_for(c, chain) is None]
    assert missing == []


def _ink(font: ImageFont.FreeTypeFont, text: str) -> bytes:
    im = Image.new("L", (400, 200), 0)
    ImageDraw.Draw(im).text((20, 150), text, font=font, fill=255, anchor="ls")
    return im.tobytes()


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_no_character_renders_as_the_notdef_box(language: str) -> None:
    """Rendering each character with the face the shaper picks never gives the face's
    .notdef glyph (the empty box), compared bitmap for bitmap."""
    for run in shape_line(SAMPLES[language], "bold", 64, language).runs:
        notdef = _ink(run.font, "\U0010fffd")  # a private-use code point no font maps
        for char in run.text:
            if not char.isspace():
                assert _ink(run.font, char) != notdef, (language, char)


def test_arabic_letters_join() -> None:
    """Shaped Arabic is narrower than its letters set apart: the joining forms are used."""
    font = get_font(chain_for("bold", "ar")[1], 64)
    word = "سلام"
    assert font.getlength(word) < sum(font.getlength(c) for c in word) * 0.95


def test_hebrew_reads_right_to_left() -> None:
    """In "אב", alef (first in memory) is the rightmost glyph drawn: the ink at the right
    end of the word matches alef's bitmap, not bet's."""
    font = shape_line("אב", "bold", 80, "he").runs[0].font

    def draw(text: str) -> Image.Image:
        im = Image.new("L", (300, 150), 0)
        ImageDraw.Draw(im).text((20, 120), text, font=font, fill=255, anchor="ls")
        return im

    word, alef, bet = draw("אב"), draw("א"), draw("ב")
    right = word.getbbox()[2]  # type: ignore[index]

    def right_end_matches(letter: Image.Image) -> bool:
        x0, y0, x1, y1 = letter.getbbox()  # type: ignore[misc]
        glyph = letter.crop((x0, y0, x1, y1))
        tail = word.crop((right - (x1 - x0), y0, right, y1))
        return (
            ImageChops.difference(glyph, tail).getbbox() is None
            or max(
                ImageChops.difference(glyph, tail).getextrema()  # type: ignore[arg-type]
            )
            < 128
        )

    assert right_end_matches(alef) and not right_end_matches(bet)


def test_rtl_names_are_right_aligned() -> None:
    """An Arabic name sits against the right margin, the badge moves to the left."""
    product = Product(name=SAMPLES["ar"], price="199", currency="SAR", regularPrice="249", language="ar")
    variant = render_variant(Image.new("RGB", (1024, 1024), (20, 20, 30)), product, format="square")
    name = next(b for b in variant.blocks if b.kind == "name")
    assert 1080 - name.box[2] < 80 < name.box[0]
    assert variant.badge_box is not None and variant.badge_box[0] < 100


def test_cjk_face_follows_the_page_language() -> None:
    """Japanese and Simplified Chinese pages use their own regional CJK faces."""
    ja, zh = chain_for("bold", "ja")[0], chain_for("bold", "zh-CN")[0]
    assert ja.file == zh.file and ja.index != zh.index
    assert ord("索") in coverage(zh)


@pytest.mark.parametrize("path", sorted(FONT_DIR.glob("*.ttf")), ids=lambda p: p.name)
def test_truetype_faces_ship_without_hinting(path: Path) -> None:
    """Hinting bytecode was ~40% of rasterising a line and changes nothing visible at the
    overlay's sizes (fonts/README.md); an upstream font copied in again would bring it
    back silently. Everything else the layout needs is still there."""
    with TTFont(str(path), lazy=True) as font:
        assert not {"fpgm", "prep", "cvt "} & set(font.keys())
        assert {"GSUB", "GPOS", "cmap", "hmtx"} <= set(font.keys())
        glyf = font["glyf"]
        assert all(not getattr(glyf[name], "program", None) for name in font.getGlyphOrder()[:200])
