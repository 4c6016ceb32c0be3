"""The Kiln pour-over set as solids of revolution: carafe, dripper and cup, with the
surfaces they are painted with. Drawn in the studio of ``studio.py``; ``make_photos.py``
arranges them into the shop's shots.
"""

from __future__ import annotations

import math
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

from localdev.sample import studio
from localdev.sample.studio import COFFEE, RAW_CLAY, SAGE_GLAZE, SAGE_RIBBED, SS, WALNUT, Canvas, Material

__all__ = ["carafe", "cup", "dripper"]


# --- the objects ---------------------------------------------------------------------------


def carafe(c: Canvas, cx: float, base_y: float, s: float) -> None:
    """Glass server with coffee, a walnut collar on the neck; its lip is at h = 720*s."""

    def profile(h: float) -> float:
        t = h / s
        if t < 14:  # rounded bottom edge
            return s * (236 + math.sqrt(max(0.0, 14**2 - (14 - t) ** 2)) * 1.0)
        if t < 430:  # the belly: an egg shape widest low down
            k = (t - 14) / 416
            return s * (250 + 55 * math.sin(math.pi * min(1.0, k * 0.95 + 0.08)) - 105 * k**2.2)
        if t < 700:  # neck
            k = (t - 430) / 270
            return s * (142 - 10 * k)
        return s * (132 + (t - 700) * 0.5)  # a small flared lip

    # Coffee inside: the same profile, a little smaller, up to the fill line.
    fill_h = 250 * s
    wall = 7 * s
    c.solid(cx, base_y, lambda h: profile(h) - wall, 10 * s, fill_h, COFFEE, light=lambda h: 0.9)
    # The coffee surface seen through the glass from above, catching the light.
    surface = Image.new("RGB", (64, 32))
    surface.putdata(
        [
            (int(92 - 34 * (y / 31)), int(56 - 22 * (y / 31)), int(34 - 14 * (y / 31)))
            for y in range(32)
            for _ in range(64)
        ]
    )
    c.disc(cx, base_y - fill_h * studio.COS_E, profile(fill_h) - wall, surface)

    # The glass: a semi-transparent layer, more opaque towards the edges (Fresnel), with
    # softbox reflections, composited over what is behind it.
    glass = Image.new("RGBA", c.img.size, (0, 0, 0, 0))
    h = 0.0
    top = 720 * s
    while h <= top:
        r = profile(h)
        cy = base_y - h * studio.COS_E
        c.paste_strip(_glass_strip(round(h / top * 20)), c.ellipse_box(cx, cy, r), glass)
        h += 1.0
    c.img = Image.alpha_composite(c.img.convert("RGBA"), glass).convert("RGB")

    # Walnut collar around the neck.
    def collar(h: float) -> float:
        return profile(h) + 12 * s + 3 * s * math.sin(math.pi * (h - 520 * s) / (150 * s))

    c.solid(cx, base_y, collar, 520 * s, 670 * s, WALNUT)
    # Wood grain: faint darker rings following the front of the collar.
    rng = random.Random(23)
    grain = Image.new("L", c.img.size, 0)
    g = ImageDraw.Draw(grain)
    for _ in range(18):
        h = rng.uniform(528, 662) * s
        r = collar(h)
        x0, y0, x1, y1 = c.ellipse_box(cx, base_y - h * studio.COS_E, r)
        start = rng.uniform(10, 60)
        g.arc((x0, y0, x1, y1), start, start + rng.uniform(60, 110), fill=rng.randint(40, 90), width=SS)
    grain = grain.filter(ImageFilter.GaussianBlur(0.6 * SS))
    c.img = Image.composite(Image.new("RGB", c.img.size, (70, 44, 26)), c.img, grain)
    c.disc(cx, base_y - 670 * s * studio.COS_E, collar(670 * s), _shade_disc(WALNUT, bright=0.95))


@lru_cache(maxsize=64)
def _glass_strip(height_q: int) -> Image.Image:
    width = 512
    strip = Image.new("RGBA", (width, 1))
    px = []
    for i in range(width):
        u = (i + 0.5) / width * 2 - 1
        edge = abs(u) ** 7
        a = 0.06 + 0.62 * edge
        col = [int(60 + 40 * (1 - edge)), int(68 + 40 * (1 - edge)), int(70 + 40 * (1 - edge))]
        # Softbox reflections: a broad one left, a narrow one right.
        hl = 0.85 * math.exp(-(((u + 0.58) / 0.07) ** 2)) + 0.55 * math.exp(-(((u - 0.72) / 0.03) ** 2))
        hl *= 0.75 + 0.25 * (height_q / 20)
        a = a + (1 - a) * hl
        col = [int(cc * (1 - hl) + 255 * hl) for cc in col]
        px.append((*col, int(255 * min(1.0, a))))
    strip.putdata(px)
    return strip


def dripper(c: Canvas, cx: float, base_y: float, s: float) -> None:
    """Ribbed stoneware cone dripper with a flat flange; ``base_y`` is where the flange sits."""
    before = c.img.copy()
    # Flange (a thick disc) and the cone on top of it.
    c.solid(cx, base_y, lambda h: 205 * s - max(0.0, 3 * s - h) * 1.0, 0, 26 * s, SAGE_GLAZE)
    c.disc(cx, base_y - 26 * s * studio.COS_E, 205 * s, _shade_disc(SAGE_GLAZE))

    def cone(h: float) -> float:
        t = (h - 26 * s) / (330 * s)
        return s * (105 + 190 * t**0.92)

    c.solid(cx, base_y, cone, 26 * s, 356 * s, SAGE_RIBBED)
    # The rim: a smooth lip band, then the top face of the lip.
    top_h = 356 * s
    c.solid(cx, base_y, lambda h: cone(top_h) + 4 * s, top_h - 14 * s, top_h, SAGE_GLAZE)
    rim_y = base_y - top_h * studio.COS_E
    outer = cone(top_h) + 4 * s
    c.disc(cx, rim_y, outer, _shade_disc(SAGE_GLAZE, bright=1.08))
    inner = outer - 16 * s
    # Speckle the glaze only: the paper filter goes in afterwards.
    c.speckle(studio.diff_mask(before, c.img), int(140 * s * s), seed=7)
    # Inside: a paper filter lining the cone, lit at the back, in shadow under the front rim.
    c.disc(cx, rim_y, inner, _paper_fill())


def _shade_disc(m: Material, bright: float = 1.0) -> Image.Image:
    """A horizontal face: brighter towards the key light (left and back)."""
    w, h = 128, 32
    img = Image.new("RGB", (w, h))
    px = []
    for y in range(h):
        for x in range(w):
            u, v = x / (w - 1) * 2 - 1, y / (h - 1) * 2 - 1
            k = bright * (1.02 - 0.12 * u - 0.06 * v)
            px.append(tuple(int(min(255, cc * k * 1.12)) for cc in m.albedo))
    img.putdata(px)
    return img


def _paper_fill() -> Image.Image:
    """The inside of the cone, lined with a paper filter, as seen over the rim."""
    w, h = 256, 96
    img = Image.new("RGB", (w, h))
    px = []
    for y in range(h):
        for x in range(w):
            u, v = x / (w - 1) * 2 - 1, y / (h - 1)  # v: 0 at the back wall, 1 at the front rim
            # The back wall faces the camera and the light; the wall falls away into the cone
            # towards the front, where the front rim shades it.
            k = 0.99 - 0.5 * v**1.5 - 0.07 * u
            k -= 0.12 * math.exp(-((u / 0.35) ** 2)) * v  # deepest along the middle, toward the apex
            base = (238, 230, 214)
            px.append(tuple(int(max(0, min(255, cc * k))) for cc in base))
    img.putdata(px)
    # Pleats of the paper: faint lines from the top edge converging on the hidden apex below.
    d = ImageDraw.Draw(img)
    apex = (w * 0.5, h * 1.9)
    for i in range(-7, 8):
        top_x = w * 0.5 + i * w / 15
        d.line([(top_x, 0), (top_x + (apex[0] - top_x) * 0.5, h * 0.95)], fill=(214, 206, 191), width=1)
    # The fold seam, a firmer crease at the back.
    d.line([(w * 0.47, 0), (w * 0.49, h * 0.95)], fill=(188, 178, 160), width=1)
    return img.filter(ImageFilter.GaussianBlur(1.4))


def cup(c: Canvas, cx: float, base_y: float, s: float, seed: int = 11) -> None:
    """Handleless stoneware cup: sage glaze dipped over a raw clay foot, coffee inside."""
    rng = random.Random(seed)
    c.shadow(cx, base_y, 165 * s)
    before = c.img.copy()

    def profile(h: float) -> float:
        t = h / s
        if t < 12:
            return s * (150 + 6 * math.sqrt(t))  # the foot ring
        if t < 22:
            return s * (171 - (22 - t) * 0.5)
        k = (t - 22) / 208
        return s * (171 + 26 * math.sin(k * math.pi * 0.5) ** 0.9)

    height = 230 * s
    light = lambda h: 0.8 + 0.2 * min(1.0, h / (60 * s))  # noqa: E731 - darker by the table
    # Paint the body twice, raw clay and glazed, and join them along the dipping line.
    clay = c.img.copy()
    c.solid(cx, base_y, profile, 0, height, RAW_CLAY, light=light, target=clay)
    c.solid(cx, base_y, profile, 0, height, SAGE_GLAZE, light=light)
    glaze_h = 62 * s
    r = profile(glaze_h)
    waves = [(rng.uniform(0.4, 1.0), rng.uniform(0, 6.28), f) for f in (3, 7, 13)]
    line: list[tuple[float, float]] = []
    for i in range(201):
        u = -1 + 2 * i / 200
        wobble = sum(a * math.sin(u * f + p) for a, p, f in waves) * 4 * s
        y = base_y - glaze_h * studio.COS_E + studio.SIN_E * r * math.sqrt(max(0.0, 1 - u * u)) + wobble
        line.append((cx + u * (r - 1.5 * s), y))
    below = Image.new("L", c.img.size, 0)
    size = c.img.size[1]
    ImageDraw.Draw(below).polygon([*line, (cx + r + 4 * s, size), (cx - r - 4 * s, size)], fill=255)
    below = below.filter(ImageFilter.GaussianBlur(0.8 * SS))
    c.img = Image.composite(clay, c.img, below)
    # Glaze pools thicker at its edge: a thin darker line along the dipping line.
    ImageDraw.Draw(c.img).line(line, fill=(98, 120, 102), width=max(2, round(2.5 * s)))
    rim_y = base_y - height * studio.COS_E
    outer = profile(height)
    c.disc(cx, rim_y, outer, _shade_disc(SAGE_GLAZE, bright=1.06))
    inner = outer - 10 * s
    c.disc(cx, rim_y, inner, _inner_wall(SAGE_GLAZE))
    c.speckle(studio.diff_mask(before, c.img), int(70 * s * s), seed=seed)
    # Coffee a little below the rim: the back inner wall shows above it, and the front
    # rim hides the near edge of the surface (hence the clip to the opening).
    level = 26 * s
    opening = Image.new("L", c.img.size, 0)
    ImageDraw.Draw(opening).ellipse(c.ellipse_box(cx, rim_y, inner), fill=255)
    filled = c.img.copy()
    c.disc(cx, rim_y + level * studio.COS_E, inner - 2 * s, _coffee_surface(), target=filled)
    c.img = Image.composite(filled, c.img, opening)


def _inner_wall(m: Material) -> Image.Image:
    w, h = 128, 48
    img = Image.new("RGB", (w, h))
    img.putdata(
        [
            tuple(int(cc * (0.98 - 0.35 * (y / (h - 1)) - 0.1 * (x / (w - 1)))) for cc in m.albedo)
            for y in range(h)
            for x in range(w)
        ]
    )
    return img


def _coffee_surface() -> Image.Image:
    w, h = 256, 64
    img = Image.new("RGB", (w, h))
    px = []
    for y in range(h):
        for x in range(w):
            u, v = x / (w - 1) * 2 - 1, y / (h - 1) * 2 - 1
            # The softbox reflected in the coffee: a soft bright patch upper left.
            hl = 0.75 * math.exp(-(((u + 0.35) / 0.22) ** 2 + ((v + 0.25) / 0.35) ** 2))
            edge = max(0.0, u * u + v * v - 0.7) * 0.5  # a thin crema ring at the wall
            base = (48 + 60 * edge, 26 + 36 * edge, 14 + 20 * edge)
            px.append(tuple(int(min(255, b * (1 - hl) + 232 * hl)) for b in base))
    img.putdata(px)
    return img.filter(ImageFilter.GaussianBlur(1.5))
