"""The studio the sample shop's photos are drawn in: camera, lights, materials, canvas.

Every object is a solid of revolution, painted bottom to top as thin elliptical slices (a
slight top-down camera), each slice filled with a horizontal shading strip from a small
lighting model (key light upper left, fill from the right, a softbox highlight). The
camera is module state: ``set_camera`` moves it and every shot sets it first, so read
``studio.SIN_E`` / ``studio.COS_E`` through the module, never copy them. The objects and
shots are in ``make_photos.py``.
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


def diff_mask(before: Image.Image, after: Image.Image) -> Image.Image:
    """Pixels that changed between two renders: the footprint of what was just painted."""
    diff = ImageChops.difference(before, after).convert("L")
    return diff.point(lambda v: 255 if v > 0 else 0)
