"""The names a caller may ask for: image formats (sizes), encodings and scene styles.

One contract shared by the API (which validates requests against it) and the renderer
(which produces exactly these). The renderer keeps how each is made (encoder settings,
prompt texts); the names, their pixel sizes and the defaults live here. The JobAccepted
event schema pins the same format names.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "DEFAULT_FORMAT",
    "DEFAULT_OUTPUT",
    "DEFAULT_STYLE",
    "FORMAT_NAMES",
    "FORMAT_SIZES",
    "OUTPUT_NAMES",
    "STYLE_NAMES",
    "FormatName",
    "OutputName",
    "StyleName",
    "check_style",
]

FormatName = Literal["square", "landscape", "story"]
OutputName = Literal["jpeg", "png", "webp"]
StyleName = Literal["studio", "lifestyle", "seasonal", "minimal", "luxury", "outdoor", "flatlay"]

FORMAT_NAMES: tuple[FormatName, ...] = get_args(FormatName)
OUTPUT_NAMES: tuple[OutputName, ...] = get_args(OutputName)
STYLE_NAMES: tuple[StyleName, ...] = get_args(StyleName)

#: Width x height in pixels of each format.
FORMAT_SIZES: dict[str, tuple[int, int]] = {
    "square": (1080, 1080),  # feed posts
    "landscape": (1200, 628),  # link previews, display ads
    "story": (1080, 1920),  # stories / reels
}

DEFAULT_FORMAT: FormatName = "square"
DEFAULT_OUTPUT: OutputName = "jpeg"
DEFAULT_STYLE: StyleName = "studio"


def check_style(name: str) -> str:
    """``name`` if it is a known style, else a ValueError listing the known ones."""
    if name not in STYLE_NAMES:
        raise ValueError(f"unknown style {name!r}; choose one of {', '.join(sorted(STYLE_NAMES))}")
    return name
