"""Draw the sample shop's product photos: ``python localdev/sample/make_photos.py``.

There is no camera and no internet here, so the "studio shots" of the Kiln pour-over set
are rendered with Pillow alone: every object is a solid of revolution, painted bottom to
top as thin elliptical slices (a slight top-down camera), each slice filled with a
horizontal shading strip from a small lighting model (key light upper left, fill from the
right, a softbox highlight). Everything is drawn at twice the size and scaled down, which
gives the edges their antialiasing. The output is deterministic (fixed random seed), so
re-running the script reproduces the committed JPEGs.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

OUT_DIR = Path(__file__).resolve().parent / "images"
SS = 2  # supersampling factor
BACKGROUND = (246, 245, 242)  # near-white and uniform to the edges, so the product can be cut out
ELEVATION = math.radians(14)  # camera slightly above: horizontal circles become flat ellipses
SIN_E, COS_E = math.sin(ELEVATION), math.cos(ELEVATION)

# Light directions (x right, y up, z toward the camera), normalised below.
_KEY = (-0.55, 0.62, 0.56)
_FILL = (0.75, 0.15, 0.45)
_BOUNCE = (0.0, -1.0, 0.35)  # light bouncing off the white table onto downward faces
_VIEW = (0.0, SIN_E, COS_E)


def _norm(v: tuple[float, float, float]) -> tuple[float, float, float]:
    n = math.sqrt(sum(c * c for c in v))
    return (v[0] / n, v[1] / n, v[2] / n)


KEY, FILL, VIEW, BOUNCE = _norm(_KEY), _norm(_FILL), _norm(_VIEW), _norm(_BOUNCE)
HALF = _norm((KEY[0] + VIEW[0], KEY[1] + VIEW[1], KEY[2] + VIEW[2]))


def set_camera(elevation_deg: float) -> None:
    """Move the camera up or down; every shot sets it, since the shading depends on it."""
    global SIN_E, COS_E, VIEW, HALF
    e = math.radians(elevation_deg)
    SIN_E, COS_E = math.sin(e), math.cos(e)
    VIEW = _norm((0.0, SIN_E, COS_E))
    HALF = _norm((KEY[0] + VIEW[0], KEY[1] + VIEW[1], KEY[2] + VIEW[2]))
    _strip.cache_clear()


@dataclass(frozen=True)
class Material:
    albedo: tuple[int, int, int]
    gloss: float = 0.0  # strength of the specular and softbox highlights
    shininess: float = 30.0
    ribs: int = 0  # vertical ribs around the full circumference (0 = smooth)
    rib_depth: float = 0.0


SAGE_GLAZE = Material((128, 152, 131), gloss=0.55, shininess=45)
SAGE_RIBBED = Material((128, 152, 131), gloss=0.5, shininess=40, ribs=36, rib_depth=0.35)
RAW_CLAY = Material((196, 152, 116), gloss=0.04, shininess=8)
WALNUT = Material((122, 80, 50), gloss=0.18, shininess=14)
COFFEE = Material((52, 28, 16), gloss=0.35, shininess=60)


def _dot(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _shade(u: float, phi: float, m: Material, light: float) -> tuple[int, int, int]:
    """Colour of the front surface at horizontal position ``u`` (-1..1) where the profile tilts by ``phi``.

    ``phi`` > 0 means the surface faces up (radius shrinking with height); ``light`` scales
    the whole slice (dimmer near the table, where less light reaches).
    """
    u = max(-0.999, min(0.999, u))
    theta = math.asin(u)
    if m.ribs:
        # Ribs tilt the normal sideways; the derivative of a cosine bump does that.
        theta += m.rib_depth * math.sin(theta * m.ribs) * 0.5
    cp = math.cos(phi)
    n = (cp * math.sin(theta), math.sin(phi), cp * math.cos(theta))
    wrap = 0.35  # wrapped diffuse: soft studio light, no hard terminator
    key = max(0.0, (_dot(n, KEY) + wrap) / (1 + wrap))
    fill = max(0.0, _dot(n, FILL))
    bounce = max(0.0, _dot(n, BOUNCE))
    facing = max(0.0, _dot(n, VIEW))
    occlusion = 0.55 + 0.45 * facing**0.6  # darker towards the silhouette
    diffuse = (0.24 + 0.78 * key + 0.22 * fill + 0.3 * bounce) * occlusion * light
    spec = m.gloss * max(0.0, _dot(n, HALF)) ** m.shininess
    # A tall softbox to the left reads as a soft vertical band on glossy surfaces.
    softbox = m.gloss * 0.55 * math.exp(-(((math.sin(theta) + 0.5) / 0.13) ** 2)) * (0.6 + 0.4 * cp)
    rim = m.gloss * 0.25 * math.exp(-(((math.sin(theta) - 0.93) / 0.05) ** 2))
    add = (spec + softbox + rim) * 255
    return tuple(int(max(0, min(255, c * diffuse + add))) for c in m.albedo)  # type: ignore[return-value]


@lru_cache(maxsize=4096)
def _strip(m: Material, phi_q: int, light_q: int) -> Image.Image:
    """A 512x1 strip of shaded colour across a slice (cached: slices repeat their tilt)."""
    width = 512
    strip = Image.new("RGB", (width, 1))
    phi, light = phi_q / 100.0, light_q / 100.0
    strip.putdata([_shade((i + 0.5) / width * 2 - 1, phi, m, light) for i in range(width)])
    return strip


class Canvas:
    """The supersampled picture plus helpers to paint solids of revolution onto it."""

    def __init__(self, size: int) -> None:
        self.size = size * SS
        self.img = Image.new("RGB", (self.size, self.size), BACKGROUND)

    def ellipse_box(self, cx: float, cy: float, r: float) -> tuple[int, int, int, int]:
        return (round(cx - r), round(cy - r * SIN_E), round(cx + r), round(cy + r * SIN_E))

    def paste_strip(self, strip: Image.Image, box: tuple[int, int, int, int], target: Image.Image) -> None:
        x0, y0, x1, y1 = box
        w, h = max(1, x1 - x0), max(1, y1 - y0 + 1)
        mask = Image.new("L", (w, h), 0)
        ImageDraw.Draw(mask).ellipse((0, 0, w - 1, h - 1), fill=255)
        target.paste(strip.resize((w, h), Image.Resampling.BILINEAR), (x0, y0), mask)

    def solid(
        self,
        cx: float,
        base_y: float,
        profile: Callable[[float], float],
        h0: float,
        h1: float,
        material: Material | Callable[[float, float], Material],
        *,
        light: Callable[[float], float] = lambda h: 1.0,
        target: Image.Image | None = None,
    ) -> None:
        """Paint the surface r = profile(h) for h0 <= h <= h1, slice by slice, bottom to top."""
        target = target or self.img
        h = h0
        step = 1.0
        while h <= h1:
            r = profile(h)
            dr = (profile(min(h1, h + 1.5)) - profile(max(h0, h - 1.5))) / 3.0
            phi = math.atan(-dr)  # radius shrinking upwards -> the surface faces up
            cy = base_y - h * COS_E
            mat = material(h, r) if callable(material) else material
            strip = _strip(mat, round(phi * 100), round(light(h) * 100))
            self.paste_strip(strip, self.ellipse_box(cx, cy, r), target)
            h += step

    def disc(self, cx: float, cy: float, r: float, fill: Image.Image | tuple[int, ...], target=None) -> None:
        """A flat horizontal disc (ellipse on screen) filled with a colour or an image."""
        target = target or self.img
        box = self.ellipse_box(cx, cy, r)
        x0, y0, x1, y1 = box
        w, h = max(1, x1 - x0), max(1, y1 - y0 + 1)
        mask = Image.new("L", (w, h), 0)
        ImageDraw.Draw(mask).ellipse((0, 0, w - 1, h - 1), fill=255)
        if isinstance(fill, Image.Image):
            target.paste(fill.resize((w, h), Image.Resampling.BILINEAR), (x0, y0), mask)
        else:
            target.paste(Image.new(target.mode, (w, h), fill), (x0, y0), mask)

    def shadow(self, cx: float, base_y: float, r: float, strength: float = 1.0) -> None:
        """Soft contact shadow under an object, offset away from the key light (to the right)."""
        layer = Image.new("L", self.img.size, 0)
        d = ImageDraw.Draw(layer)
        # A wide, faint penumbra and a tight dark core where the object touches the table.
        d.ellipse(self.ellipse_box(cx + r * 0.18, base_y + r * 0.02, r * 1.18), fill=int(70 * strength))
        layer = layer.filter(ImageFilter.GaussianBlur(r * 0.16))
        core = Image.new("L", self.img.size, 0)
        ImageDraw.Draw(core).ellipse(
            self.ellipse_box(cx + r * 0.04, base_y, r * 0.98), fill=int(150 * strength)
        )
        core = core.filter(ImageFilter.GaussianBlur(r * 0.035))
        layer = ImageChops.lighter(layer, core)
        dark = Image.new("RGB", self.img.size, (92, 86, 80))
        self.img = Image.composite(dark, self.img, layer)

    def speckle(self, mask: Image.Image, count: int, seed: int) -> None:
        """Iron speckles of a stoneware glaze: small dark dots, only where ``mask`` is set."""
        rng = random.Random(seed)
        dots = Image.new("L", self.img.size, 0)
        d = ImageDraw.Draw(dots)
        bbox = mask.getbbox()
        if not bbox:
            return
        x0, y0, x1, y1 = bbox
        for _ in range(count):
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            rad = rng.choice((1.2, 1.5, 1.8, 2.2, 3.0)) * SS / 2
            d.ellipse((x - rad, y - rad, x + rad, y + rad), fill=rng.randint(70, 170))
        dots = ImageChops.multiply(dots, mask)
        self.img = Image.composite(Image.new("RGB", self.img.size, (70, 52, 40)), self.img, dots)

    def finish(self, path: Path, size: int, quality: int = 88) -> None:
        out = self.img.resize((size, size), Image.Resampling.LANCZOS)
        out.save(path, "JPEG", quality=quality, optimize=True, progressive=True, subsampling=0)


def _diff_mask(before: Image.Image, after: Image.Image) -> Image.Image:
    """Pixels that changed between two renders: the footprint of what was just painted."""
    diff = ImageChops.difference(before, after).convert("L")
    return diff.point(lambda v: 255 if v > 0 else 0)


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
    c.disc(cx, base_y - fill_h * COS_E, profile(fill_h) - wall, surface)

    # The glass: a semi-transparent layer, more opaque towards the edges (Fresnel), with
    # softbox reflections, composited over what is behind it.
    glass = Image.new("RGBA", c.img.size, (0, 0, 0, 0))
    h = 0.0
    top = 720 * s
    while h <= top:
        r = profile(h)
        cy = base_y - h * COS_E
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
        x0, y0, x1, y1 = c.ellipse_box(cx, base_y - h * COS_E, r)
        start = rng.uniform(10, 60)
        g.arc((x0, y0, x1, y1), start, start + rng.uniform(60, 110), fill=rng.randint(40, 90), width=SS)
    grain = grain.filter(ImageFilter.GaussianBlur(0.6 * SS))
    c.img = Image.composite(Image.new("RGB", c.img.size, (70, 44, 26)), c.img, grain)
    c.disc(cx, base_y - 670 * s * COS_E, collar(670 * s), _shade_disc(WALNUT, bright=0.95))


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
    c.disc(cx, base_y - 26 * s * COS_E, 205 * s, _shade_disc(SAGE_GLAZE))

    def cone(h: float) -> float:
        t = (h - 26 * s) / (330 * s)
        return s * (105 + 190 * t**0.92)

    c.solid(cx, base_y, cone, 26 * s, 356 * s, SAGE_RIBBED)
    # The rim: a smooth lip band, then the top face of the lip.
    top_h = 356 * s
    c.solid(cx, base_y, lambda h: cone(top_h) + 4 * s, top_h - 14 * s, top_h, SAGE_GLAZE)
    rim_y = base_y - top_h * COS_E
    outer = cone(top_h) + 4 * s
    c.disc(cx, rim_y, outer, _shade_disc(SAGE_GLAZE, bright=1.08))
    inner = outer - 16 * s
    # Speckle the glaze only: the paper filter goes in afterwards.
    c.speckle(_diff_mask(before, c.img), int(140 * s * s), seed=7)
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
        y = base_y - glaze_h * COS_E + SIN_E * r * math.sqrt(max(0.0, 1 - u * u)) + wobble
        line.append((cx + u * (r - 1.5 * s), y))
    below = Image.new("L", c.img.size, 0)
    size = c.img.size[1]
    ImageDraw.Draw(below).polygon([*line, (cx + r + 4 * s, size), (cx - r - 4 * s, size)], fill=255)
    below = below.filter(ImageFilter.GaussianBlur(0.8 * SS))
    c.img = Image.composite(clay, c.img, below)
    # Glaze pools thicker at its edge: a thin darker line along the dipping line.
    ImageDraw.Draw(c.img).line(line, fill=(98, 120, 102), width=max(2, round(2.5 * s)))
    rim_y = base_y - height * COS_E
    outer = profile(height)
    c.disc(cx, rim_y, outer, _shade_disc(SAGE_GLAZE, bright=1.06))
    inner = outer - 10 * s
    c.disc(cx, rim_y, inner, _inner_wall(SAGE_GLAZE))
    c.speckle(_diff_mask(before, c.img), int(70 * s * s), seed=seed)
    # Coffee a little below the rim: the back inner wall shows above it, and the front
    # rim hides the near edge of the surface (hence the clip to the opening).
    level = 26 * s
    opening = Image.new("L", c.img.size, 0)
    ImageDraw.Draw(opening).ellipse(c.ellipse_box(cx, rim_y, inner), fill=255)
    filled = c.img.copy()
    c.disc(cx, rim_y + level * COS_E, inner - 2 * s, _coffee_surface(), target=filled)
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


# --- the shots -----------------------------------------------------------------------------


def main_shot(path: Path, size: int = 1200) -> None:
    """The set: dripper on the carafe, centred, one cup in front to the right."""
    set_camera(14)
    c = Canvas(size)
    s = 0.8 * SS * size / 1200
    n = c.size
    carafe_x, carafe_base = n * 0.415, n * 0.845
    cup_x, cup_base = n * 0.715, n * 0.90
    c.shadow(carafe_x, carafe_base, 300 * s)
    carafe(c, carafe_x, carafe_base, s)
    dripper(c, carafe_x, carafe_base - 690 * s * COS_E, s)
    cup(c, cup_x, cup_base, s)
    c.finish(path, size)


def dripper_shot(path: Path, size: int = 1200) -> None:
    """Second angle: the dripper alone, larger and from higher up, so the ribs and the filter show."""
    set_camera(26)
    c = Canvas(size)
    s = 1.45 * SS * size / 1200
    n = c.size
    x, base = n * 0.5, n * 0.76
    c.shadow(x, base, 205 * s, strength=1.0)
    dripper(c, x, base, s)
    c.finish(path, size)


def cups_shot(path: Path, size: int = 600) -> None:
    """Related product: a pair of cups."""
    set_camera(18)
    c = Canvas(size)
    s = 1.25 * SS * size / 1200
    n = c.size
    cup(c, n * 0.34, n * 0.66, s, seed=3)
    cup(c, n * 0.66, n * 0.76, s, seed=5)
    c.finish(path, size)


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    main_shot(OUT_DIR / "product-main.jpg")
    dripper_shot(OUT_DIR / "product-dripper.jpg")
    cups_shot(OUT_DIR / "related-cups.jpg")
    for p in sorted(OUT_DIR.glob("*.jpg")):
        print(f"{p.name}: {p.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
