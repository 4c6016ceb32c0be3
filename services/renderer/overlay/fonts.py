"""The shipped typefaces, per-script fallback, and a process-wide font cache.

Pillow has no font fallback, so text is cut into runs, each set in the first face of a
chain that has glyphs for it. Faces and their character maps are loaded once per
process: opening the 20 MB CJK collection and reading its cmap costs tens of ms, far too
much to repeat per image.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont, features

__all__ = ["FONT_DIR", "Face", "SHAPING", "chain_for", "coverage", "face_for", "get_font"]

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

# raqm (HarfBuzz + FriBiDi) is what shapes Arabic joining forms and orders RTL text.
SHAPING = features.check("raqm")
_LAYOUT = ImageFont.Layout.RAQM if SHAPING else ImageFont.Layout.BASIC


@dataclass(frozen=True, slots=True)
class Face:
    file: str
    index: int = 0  # face number inside a .ttc collection

    @property
    def path(self) -> Path:
        return FONT_DIR / self.file


_LATIN = {"bold": Face("NotoSans-Bold.ttf"), "regular": Face("NotoSans-Regular.ttf")}
_ARABIC = {"bold": Face("NotoSansArabic-Bold.ttf"), "regular": Face("NotoSansArabic-Regular.ttf")}
_HEBREW = {"bold": Face("NotoSansHebrew-Bold.ttf"), "regular": Face("NotoSansHebrew-Regular.ttf")}
# One collection holds the Japanese, Korean, Simplified, Traditional and Hong Kong forms
# of the same ideographs; the page language picks the regional glyphs. Only the bold
# weight ships (the regular would add another 19 MB): CJK brand lines use it too.
_CJK_FILE = "NotoSansCJK-Bold.ttc"
_CJK_INDEX = {"ja": 0, "ko": 1, "zh": 2, "zh_tw": 3, "zh_hant": 3, "zh_hk": 4, "zh_mo": 4}


def _cjk_face(language: str | None) -> Face:
    tag = (language or "").lower().replace("-", "_")
    index = _CJK_INDEX.get(tag)
    if index is None:
        index = _CJK_INDEX.get(tag.split("_")[0], 2)
    return Face(_CJK_FILE, index)


def chain_for(weight: str, language: str | None) -> tuple[Face, ...]:
    """Faces to try in order for text of `weight` on a page in `language`."""
    cjk = _cjk_face(language)
    lang = (language or "").lower()[:2]
    if lang in ("ja", "zh", "ko"):
        # Latin first would set CJK punctuation and digits in mismatched Latin forms.
        return (cjk, _LATIN[weight], _ARABIC[weight], _HEBREW[weight])
    return (_LATIN[weight], _ARABIC[weight], _HEBREW[weight], cjk)


@lru_cache(maxsize=16)
def coverage(face: Face) -> frozenset[int]:
    """Code points the face has glyphs for (its best Unicode cmap)."""
    with TTFont(str(face.path), fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=256)
def get_font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """A sized FreeType font, shared across renders (fonts are read-only once loaded)."""
    return ImageFont.truetype(str(face.path), size=size, index=face.index, layout_engine=_LAYOUT)


def face_for(char: str, chain: tuple[Face, ...]) -> Face | None:
    """The first face in the chain with a glyph for `char`, or None."""
    code = ord(char)
    for face in chain:
        if code in coverage(face):
            return face
    return None


def is_invisible(char: str) -> bool:
    """Format controls (bidi marks, ZWSP) that need no glyph of their own."""
    return unicodedata.category(char) == "Cf"
