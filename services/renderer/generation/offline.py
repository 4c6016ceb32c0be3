"""The offline generator: a studio-style product visual without any model call.

With the product's photo: the product is cut out (its own alpha, or a near-uniform
backdrop flood-filled away from the edges) or, when that fails, framed as a card; it
stands on a gradient drawn from its own colours with a soft contact and drop shadow.
Without a photo: a typographic monogram composition in a palette picked from the name.
Deterministic: the same request always gives the same bytes.
"""

from __future__ import annotations

import asyncio
import colorsys
import hashlib
import io
from collections.abc import Callable
from typing import cast

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps, UnidentifiedImageError

from services.renderer.formats import to_srgb
from services.renderer.generation.base import GeneratedImage, GenerationRequest
from services.renderer.overlay.fonts import chain_for, face_for, get_font

__all__ = ["OfflineGenerator", "cutout_alpha"]

_PROBE = 256  # px: cut-out masks are found on a thumbnail, then scaled up and feathered
_PALETTES = (  # (top, bottom, accent): calm studio pairs that suit white overlay text
    ((34, 40, 62), (12, 14, 24), (233, 196, 106)),
    ((24, 58, 55), (8, 24, 22), (240, 180, 140)),
    ((70, 30, 52), (26, 10, 22), (250, 200, 170)),
    ((30, 44, 80), (10, 14, 32), (140, 200, 250)),
    ((60, 48, 36), (22, 16, 12), (236, 210, 160)),
)


def _size(spec: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in spec.lower().split("x"))
    except ValueError as exc:
        raise ValueError(f"size must be WIDTHxHEIGHT, got {spec!r}") from exc
    if not (64 <= w <= 4096 and 64 <= h <= 4096):
        raise ValueError(f"size out of range: {spec!r}")
    return w, h


def _gradient(size: tuple[int, int], top: tuple[int, ...], bottom: tuple[int, ...]) -> Image.Image:
    # A radial glow above centre over a vertical fade: reads as a lit studio sweep.
    w, h = size
    vertical = Image.linear_gradient("L").resize(size)
    base = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), vertical)
    glow = Image.radial_gradient("L").resize((int(w * 1.3), int(h * 1.1)))
    glow = ImageOps.invert(glow).point(lambda v: max(0, v - 90) * 255 // 165 * 45 // 100)
    light = Image.new("RGB", size, tuple(min(255, c + 60) for c in top))
    mask = Image.new("L", size, 0)
    mask.paste(glow, ((w - glow.width) // 2, int(h * 0.38) - glow.height // 2))
    return Image.composite(light, base, mask)


def _palette_from(photo: Image.Image) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A light backdrop pair tinted with the photo's most colourful frequent colour."""
    small = photo.convert("RGB").resize((64, 64))
    quant = small.quantize(6, method=Image.Quantize.MEDIANCUT)
    pal: list[int] = quant.getpalette() or []
    counts = cast("list[tuple[int, int]]", sorted(quant.getcolors() or [], reverse=True))
    best: tuple[int, ...] = (128, 128, 128)
    best_score = -1.0
    for count, index in counts:
        rgb = tuple(pal[index * 3 : index * 3 + 3])
        _, light, sat = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
        score = count * (0.25 + sat) * (1.0 - abs(light - 0.5))
        if score > best_score:
            best, best_score = rgb, score
    h, _, s = colorsys.rgb_to_hls(*(c / 255 for c in best))
    s = min(s, 0.45)
    top = tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, 0.93, s))
    bottom = tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, 0.72, s * 0.9))
    return top, bottom


def _backdrop(probe: Image.Image) -> np.ndarray:
    """The pixels flood-filled from the edges (seeds every 8 px along them): 4-connected, each
    within an L1 colour distance of 28 of its seed. What PIL's ``ImageDraw.floodfill(thresh=28)``
    fills, seed by seed, but in OpenCV (a pure-Python fill cost ~40-190 ms a photo)."""
    w, h = probe.size
    pixels = np.asarray(probe, dtype=np.int16)
    filled = np.zeros((h, w), dtype=bool)
    seeds = [(x, y) for x in range(0, w, 8) for y in (0, h - 1)] + [(x, y) for y in range(0, h, 8) for x in (0, w - 1)]
    for x, y in seeds:
        if filled[y, x]:
            continue
        near = ((np.abs(pixels - pixels[y, x]).sum(axis=2) <= 28) & ~filled).astype(np.uint8)
        cv2.floodFill(near, np.zeros((h + 2, w + 2), np.uint8), (x, y), 2, loDiff=0, upDiff=0, flags=4)
        filled |= near == 2
    return filled


def _cutout(photo: Image.Image) -> Image.Image | None:
    """The product's alpha: its own transparency, or the backdrop flood-filled from the
    edges when the edges are near-uniform. None when no clean cut-out exists."""
    if photo.mode in ("RGBA", "LA", "PA") or "transparency" in photo.info:
        alpha = photo.convert("RGBA").getchannel("A")
        lo, hi = cast("tuple[int, int]", alpha.getextrema())
        if lo < 16 and hi > 240:
            return alpha
    rgb = photo.convert("RGB")
    probe = rgb.copy()
    probe.thumbnail((_PROBE, _PROBE))
    w, h = probe.size
    pixel = cast("Callable[[tuple[int, int]], tuple[int, int, int]]", probe.getpixel)
    edge = [pixel((x, y)) for x in range(0, w, 4) for y in (0, h - 1)]
    edge += [pixel((x, y)) for y in range(0, h, 4) for x in (0, w - 1)]
    mean = [sum(p[c] for p in edge) / len(edge) for c in range(3)]
    spread = max(abs(p[c] - mean[c]) for p in edge for c in range(3))
    if spread > 40:
        return None  # a scene, not a backdrop: frame it instead
    product = Image.fromarray(np.where(_backdrop(probe), 0, 255).astype(np.uint8), "L")
    share = sum(product.histogram()[255:]) / (w * h)
    if not 0.04 < share < 0.92:
        return None
    # Feather the edge: a hard flood-fill boundary looks like a sticker.
    product = product.filter(ImageFilter.MinFilter(3)).filter(ImageFilter.GaussianBlur(0.8))
    return product.resize(rgb.size, Image.Resampling.BILINEAR)


# The quality gate cuts the product out of the photo the same way (one source of truth).
cutout_alpha = _cutout


def _stage(photo: Image.Image, size: tuple[int, int]) -> Image.Image:
    w, h = size
    top, bottom = _palette_from(photo)
    canvas = _gradient(size, top, bottom)
    alpha = _cutout(photo)
    rgb = photo.convert("RGB")
    if alpha is None:
        # Framed: the photo as a white-bordered card, like a print on the set.
        border = max(8, min(rgb.size) // 24)
        rgb = ImageOps.expand(rgb, border, fill=(255, 255, 255))
        alpha = Image.new("L", rgb.size, 255)
    else:
        bbox = alpha.point(lambda v: 255 if v > 24 else 0).getbbox() or (0, 0, *rgb.size)
        rgb, alpha = rgb.crop(bbox), alpha.crop(bbox)
    # The product fills ~60% of the frame, centred a little high: overlay text goes below.
    scale = min(w * 0.62 / rgb.width, h * 0.56 / rgb.height)
    pw, ph = max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))
    rgb = rgb.resize((pw, ph), Image.Resampling.LANCZOS)
    alpha = alpha.resize((pw, ph), Image.Resampling.LANCZOS)
    x, y = (w - pw) // 2, round(h * 0.42 - ph / 2)
    shade = tuple(round(c * 0.35) for c in bottom)
    # Contact shadow: a flat blurred ellipse where the product meets the floor.
    contact = Image.new("L", size, 0)
    ImageDraw.Draw(contact).ellipse(
        (x + pw * 0.1, y + ph - ph * 0.04, x + pw * 0.9, y + ph + ph * 0.06), fill=150
    )
    canvas.paste(shade, (0, 0), contact.filter(ImageFilter.GaussianBlur(max(4, pw // 28))))
    # Drop shadow: the silhouette offset down-right and softened.
    drop = Image.new("L", size, 0)
    drop.paste(alpha.point(lambda v: v * 45 // 100), (x + pw // 40, y + ph // 30))
    canvas.paste(shade, (0, 0), drop.filter(ImageFilter.GaussianBlur(max(6, pw // 22))))
    canvas.paste(rgb, (x, y), alpha)
    return canvas


def _monogram(request: GenerationRequest, size: tuple[int, int]) -> Image.Image:
    """No photo: the brand's (or name's) initial set huge on a studio gradient, ringed."""
    product = request.product
    seed_text = f"{product.brand or ''}|{product.name or ''}|{request.style}"
    seed = int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:4], "big")
    top, bottom, accent = _PALETTES[seed % len(_PALETTES)]
    w, h = size
    canvas = _gradient(size, top, bottom)
    draw = ImageDraw.Draw(canvas)
    cx, cy, unit = w / 2, h * 0.4, min(w, h)
    for i, r in enumerate((0.36, 0.30, 0.24)):
        ring = tuple(
            round(a * (0.22 + 0.08 * i) + t * (0.78 - 0.08 * i)) for a, t in zip(accent, top, strict=True)
        )
        draw.ellipse(
            (cx - r * unit, cy - r * unit, cx + r * unit, cy + r * unit),
            outline=ring,
            width=max(2, unit // 170),
        )
    word = (product.brand or product.name or "").strip()
    initial = next((c for c in word if c.isalnum()), "")
    if initial:
        chain = chain_for("bold", product.language)
        face = face_for(initial, chain) or chain[0]
        font = get_font(face, round(unit * 0.34))
        draw.text((cx, cy), initial.upper(), font=font, fill=accent, anchor="mm")
    return canvas


class OfflineGenerator:
    """An ImageGenerator that needs no key and no network."""

    name = "offline"

    async def generate(self, request: GenerationRequest) -> GeneratedImage:
        png = await asyncio.to_thread(self._render, request)
        return GeneratedImage(data=png, model="offline", prompt=None)

    def _render(self, request: GenerationRequest) -> bytes:
        size = _size(request.size)
        image: Image.Image | None = None
        if request.photo:
            try:
                with Image.open(io.BytesIO(request.photo)) as opened:
                    opened.load()
                    photo = opened if opened.mode in ("RGBA", "LA", "PA") else to_srgb(opened)
                    image = _stage(photo, size)
            except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
                image = None  # an unreadable photo still gets a designed background
        if image is None:
            image = _monogram(request, size)
        buf = io.BytesIO()
        image.save(buf, "PNG", compress_level=6)
        return buf.getvalue()

    async def aclose(self) -> None:
        return None
