"""Fitting a text into a box: wrap, shrink down to a minimum size, then ellipsis.

The guarantee the layout relies on: every returned line is at most `max_width` wide and
there are at most `max_lines` of them, so nothing is ever clipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from services.renderer.overlay.shaping import Line, shape_line

__all__ = ["FittedText", "fit_text", "tokens"]

ELLIPSIS = "\u2026"
# Han, kana and CJK punctuation may break between any two characters; other scripts
# break at spaces.
_CJK = "\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}][\s]*|[^\s{_CJK}]+\s*|\s+")


@dataclass(frozen=True, slots=True)
class FittedText:
    lines: tuple[Line, ...]
    size: int
    line_height: int
    truncated: bool

    @property
    def width(self) -> float:
        return max((line.width for line in self.lines), default=0.0)

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


def tokens(text: str) -> list[str]:
    """Break opportunities: words with their trailing space, or single CJK characters."""
    return _TOKEN.findall(" ".join(text.split()))


def _wrap(words: list[str], width: float, weight: str, size: int, language: str | None) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = current + word
        if shape_line(candidate.rstrip(), weight, size, language).width <= width:
            current = candidate
            continue
        if current:
            lines.append(current.rstrip())
            current = ""
        if shape_line(word.rstrip(), weight, size, language).width <= width:
            current = word
            continue
        # A single word wider than the box (a long model number): break inside it.
        for char in word:
            if current and shape_line((current + char).rstrip(), weight, size, language).width > width:
                lines.append(current.rstrip())
                current = ""
            current += char
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _with_ellipsis(text: str, width: float, weight: str, size: int, language: str | None) -> str:
    words = tokens(text)
    while words:
        candidate = "".join(words).rstrip().rstrip(",;:-\u2013\u2014") + ELLIPSIS
        if shape_line(candidate, weight, size, language).width <= width:
            return candidate
        if len(words) == 1:
            # One long word: drop characters instead of the whole word.
            words = [words[0][:-1]] if len(words[0]) > 1 else []
        else:
            words.pop()
    return ELLIPSIS


@lru_cache(maxsize=1024)
def fit_text(
    text: str,
    *,
    weight: str,
    max_width: float,
    max_lines: int,
    max_size: int,
    min_size: int,
    language: str | None = None,
    leading: float = 1.18,
) -> FittedText:
    """The largest size in [min_size, max_size] at which `text` wraps into the box;
    at min_size, the lines that fit with an ellipsis on the last one. Cached: each job
    fits the same strings for every format."""
    words = tokens(text)
    size = max_size
    # Start near the answer: the text's one-line width at max_size, spread over the lines.
    one_line = shape_line(" ".join(text.split()), weight, max_size, language).width
    if one_line > max_width * max_lines:
        size = max(min_size, min(max_size, int(max_size * max_width * max_lines * 0.95 / one_line)))
    while True:
        lines = _wrap(words, max_width, weight, size, language)
        if len(lines) <= max_lines or size <= min_size:
            break
        size = max(min_size, int(size * 0.93))
    truncated = len(lines) > max_lines
    if truncated:
        rest = " ".join(lines[max_lines - 1 :])
        lines = lines[: max_lines - 1] + [_with_ellipsis(rest, max_width, weight, size, language)]
    shaped = tuple(shape_line(line, weight, size, language) for line in lines)
    return FittedText(shaped, size, round(size * leading), truncated)
