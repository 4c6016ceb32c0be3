"""Backgrounds the overlay must stay legible on, built inline (no fixtures on disk)."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw


def dark(size: tuple[int, int] = (1024, 1024)) -> Image.Image:
    return Image.new("RGB", size, (12, 14, 20))


def light(size: tuple[int, int] = (1024, 1024)) -> Image.Image:
    return Image.new("RGB", size, (248, 246, 240))


def noise(size: tuple[int, int] = (1024, 1024)) -> Image.Image:
    """Full-range black/white noise (seeded): every text box holds both extremes."""
    grain = Image.frombytes("L", size, random.Random(7).randbytes(size[0] * size[1]))
    return Image.merge("RGB", [grain.point(lambda v: 255 if v > 127 else 0)] * 3)


def stripes(size: tuple[int, int] = (1024, 1024), width: int = 14) -> Image.Image:
    """Saturated yellow/black/white/red stripes: high-frequency, high-contrast."""
    im = Image.new("RGB", size)
    draw = ImageDraw.Draw(im)
    colors = [(255, 230, 0), (0, 0, 0), (255, 255, 255), (220, 20, 30)]
    for i, x in enumerate(range(-size[1], size[0], width)):
        draw.polygon(
            [(x, 0), (x + width, 0), (x + width + size[1], size[1]), (x + size[1], size[1])],
            fill=colors[i % 4],
        )
    return im


ALL = {"dark": dark, "light": light, "noise": noise, "stripes": stripes}
