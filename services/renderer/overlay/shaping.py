"""Lines of mixed-script text: font runs, bidi order, measuring and drawing.

Each run is shaped by raqm on its own (joining Arabic, kerning Latin); we only decide
which face sets which characters and, for right-to-left paragraphs, the visual order of
the runs.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageDraw, ImageFont

from services.renderer.overlay.fonts import Face, chain_for, coverage, face_for, get_font, is_invisible

__all__ = ["Line", "Run", "is_rtl", "shape_line"]

_NEUTRAL_CATEGORIES = ("Zs", "Po", "Pd", "Ps", "Pe", "Pi", "Pf", "Sm", "Sc", "Nd", "Sk", "So")


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    font: ImageFont.FreeTypeFont
    width: float
    direction: str  # the paragraph's: raqm orders mixed text inside the run by it


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    runs: tuple[Run, ...]  # in visual order, left to right
    width: float
    ascent: int
    descent: int

    def draw(self, draw: ImageDraw.ImageDraw, x: float, baseline: float, fill: int = 255) -> None:
        for run in self.runs:
            draw.text((x, baseline), run.text, font=run.font, fill=fill, anchor="ls", direction=run.direction)
            x += run.width


_RTL_LANGUAGES = frozenset({"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})


def is_rtl(text: str, language: str | None = None) -> bool:
    """The paragraph direction: from the first strongly directional character, else
    (prices and numbers have none) from the page language."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return (language or "").lower().replace("_", "-").split("-")[0] in _RTL_LANGUAGES


@lru_cache(maxsize=16)
def _visible(face: Face) -> frozenset[int]:
    """The face's code points that are not format controls."""
    return frozenset(code for code in coverage(face) if not is_invisible(chr(code)))


def _split(text: str, chain: tuple[Face, ...]) -> list[tuple[Face, str]]:
    if text and _visible(chain[0]).issuperset(map(ord, text)):
        # The common case (a Latin name in the Latin face): every character is the first
        # face's, so the loop below would make the one run.
        return [(chain[0], text)]
    runs: list[tuple[Face, str]] = []
    for char in text:
        current = runs[-1][0] if runs else None
        if current is not None and (
            is_invisible(char)
            or (unicodedata.category(char) in _NEUTRAL_CATEGORIES and ord(char) in coverage(current))
        ):
            # Spaces, digits and punctuation stay in the run they are in: fewer breaks in
            # shaping, and the neighbouring script's style for them.
            runs[-1] = (current, runs[-1][1] + char)
            continue
        face = face_for(char, chain)
        if face is None:
            if is_invisible(char):
                continue
            # No shipped face has it: a plain space beats a .notdef box.
            char, face = " ", chain[0]
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + char)
        else:
            runs.append((face, char))
    return runs


@lru_cache(maxsize=4096)
def shape_line(text: str, weight: str, size: int, language: str | None) -> Line:
    """The text set on one line at `size` px, measured. Cached: the same strings recur
    for every format of a job and while searching for a size that fits."""
    chain = chain_for(weight, language)
    rtl = is_rtl(text, language)
    direction = "rtl" if rtl else "ltr"
    runs: list[Run] = []
    ascent = descent = 0
    for face, chunk in _split(text, chain):
        font = get_font(face, size)
        runs.append(Run(chunk, font, font.getlength(chunk, direction=direction), direction))
        a, d = font.getmetrics()
        ascent, descent = max(ascent, a), max(descent, d)
    if rtl:
        # Runs follow each other right to left; raqm orders what is inside each run.
        runs.reverse()
    width = sum(run.width for run in runs)
    if not runs:
        a, d = get_font(chain[0], size).getmetrics()
        ascent, descent = a, d
    return Line(text, tuple(runs), width, ascent, descent)
