"""The offer badge: a disc (or a pill for long shop texts) with its label, pre-rendered.

Badges depend only on the label and the size, so the patch is cached and compositing it
costs one small masked paste.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

from services.renderer.overlay.fit import FittedText, fit_text

__all__ = ["ACCENT", "Badge", "render_badge"]

# A saturated red that keeps white text at 5:1 (WCAG AA) whatever the scene does.
ACCENT = (200, 30, 45)
_SUPERSAMPLE = 4


@dataclass(frozen=True, slots=True)
class Badge:
    image: Image.Image  # RGB, badge plus soft shadow
    mask: Image.Image  # L, coverage for pasting
    text: FittedText
    inset: int  # shadow margin around the shape, in px

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size


@lru_cache(maxsize=16)
def _plate(width: int, height: int, radius: int, inset: int) -> tuple[Image.Image, Image.Image]:
    """The label-less badge (RGB) and its paste mask. It depends on the geometry only,
    which is the same for every disc of a format, so the supersampled shape and the blur
    are paid once per process, not once per label."""
    s = _SUPERSAMPLE
    big = Image.new("L", ((width + 2 * inset) * s, (height + 2 * inset) * s), 0)
    ImageDraw.Draw(big).rounded_rectangle(
        (inset * s, inset * s, (inset + width) * s - 1, (inset + height) * s - 1), radius * s, fill=255
    )
    shape = big.reduce(s)
    # The shadow lifts the badge off busy scenes; offset down, blurred, 35% black.
    shadow = Image.new("L", shape.size, 0)
    shadow.paste(shape.point(lambda v: v * 35 // 100), (0, inset // 3))
    shadow = shadow.filter(ImageFilter.GaussianBlur(inset / 2.5))
    mask = Image.composite(Image.new("L", shape.size, 255), shadow, shape)
    image = Image.new("RGB", shape.size, (0, 0, 0))
    image.paste(ACCENT, (0, 0), shape)
    return image, mask


@lru_cache(maxsize=64)
def render_badge(label: str, diameter: int, max_width: int, language: str | None = None) -> Badge:
    """A disc `diameter` px wide holding `label`; a pill up to `max_width` if it won't fit."""
    text = fit_text(
        label,
        weight="bold",
        max_width=diameter * 0.74,
        max_lines=2,
        max_size=int(diameter * 0.3),
        min_size=int(diameter * 0.17),
        language=language,
    )
    width = height = diameter
    radius = diameter // 2
    if text.truncated:
        # Shop texts ("Black Friday: 2 for 1") get a pill rather than an unreadable disc.
        height = int(diameter * 0.62)
        text = fit_text(
            label,
            weight="bold",
            max_width=max_width - height * 0.7,
            max_lines=2,
            max_size=int(height * 0.3),
            min_size=int(height * 0.2),
            language=language,
        )
        width = min(max_width, int(text.width + height * 0.7))
        radius = height // 2
    inset = max(4, diameter // 14)
    plate, mask = _plate(width, height, radius, inset)
    image = plate.copy()
    draw = ImageDraw.Draw(image)
    top = inset + (height - text.height) / 2
    for i, line in enumerate(text.lines):
        baseline = top + i * text.line_height + text.line_height * 0.5 + text.size * 0.36
        line.draw(draw, inset + (width - line.width) / 2, baseline, fill=(255, 255, 255))  # type: ignore[arg-type]
    return Badge(image, mask, text, inset)
