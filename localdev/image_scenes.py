"""Plausible images for the fake image API: soft gradient scenes, and a photo placed on one.

Blocking (Pillow): the server calls these through ``asyncio.to_thread``. Both are
deterministic, so their encoded results are cached (backdrops by size, palette and
format; composites also by the photo's bytes): a run of identical requests costs one
render, and a "zero-latency" server answers in milliseconds, as a test double should.
"""

from __future__ import annotations

import base64
import hashlib
import io
import threading
from collections import OrderedDict
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageOps

__all__ = ["palette_for", "scene_b64", "compose_on_scene", "PALETTES"]

# (top of the wall, bottom of the wall, floor): warm, cool, sage, blush studio colours.
PALETTES: tuple[tuple[tuple[int, int, int], ...], ...] = (
    ((247, 241, 234), (222, 208, 194), (236, 226, 215)),
    ((236, 242, 248), (190, 204, 221), (222, 230, 239)),
    ((240, 245, 236), (196, 212, 190), (226, 234, 221)),
    ((249, 238, 241), (220, 192, 203), (238, 222, 228)),
)
_FLOOR_AT = 0.68  # where the wall meets the floor, as a share of the height


def palette_for(prompt: str) -> int:
    """A stable palette per prompt, so the same request gives the same picture."""
    return hashlib.sha256(prompt.encode()).digest()[0] % len(PALETTES)


@lru_cache(maxsize=32)
def _scene(width: int, height: int, palette: int) -> Image.Image:
    top, bottom, floor = PALETTES[palette]
    # Gradients are drawn at 256 px and scaled up: bilinear resampling keeps them smooth.
    vertical = Image.linear_gradient("L").resize((width, height), Image.Resampling.BILINEAR)
    wall = Image.composite(
        Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top), vertical
    )
    horizon = int(height * _FLOOR_AT)
    floor_img = Image.new("RGB", (width, height - horizon), floor)
    fade = Image.linear_gradient("L").resize((width, height - horizon), Image.Resampling.BILINEAR)
    wall.paste(Image.composite(Image.new("RGB", floor_img.size, bottom), floor_img, fade), (0, horizon))
    # A soft pool of light behind where the product stands.
    glow = ImageOps.invert(Image.radial_gradient("L")).resize((width, height), Image.Resampling.BILINEAR)
    glow = glow.point(lambda v: int(v * 0.45))
    lit = Image.composite(Image.new("RGB", (width, height), (255, 255, 255)), wall, glow)
    return lit.filter(ImageFilter.GaussianBlur(radius=max(2, width // 256)))


def _encode(img: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "png":
        img.save(out, format="PNG", compress_level=1)  # speed over size: it is a fake
    else:
        img.convert("RGB").save(out, format="JPEG" if fmt == "jpeg" else "WEBP", quality=85)
    return out.getvalue()


@lru_cache(maxsize=64)
@lru_cache(maxsize=32)
def scene_b64(width: int, height: int, palette: int, fmt: str = "png") -> str:
    """A backdrop scene of exactly ``width`` x ``height``, encoded and base64'd."""
    return base64.b64encode(_encode(_scene(width, height, palette), fmt)).decode("ascii")


_COMPOSED: OrderedDict[tuple[str, int, int, int, str], str] = OrderedDict()
_COMPOSED_MAX = 32
_COMPOSED_LOCK = threading.Lock()


def compose_on_scene(
    photo: Image.Image, width: int, height: int, palette: int, fmt: str = "png", *, digest: str | None = None
) -> str:
    """The photo standing on a generated backdrop with a soft shadow, base64'd.

    ``digest`` identifies the photo's bytes; when given, the result is cached under it.
    """
    if digest is None:
        return _compose(photo, width, height, palette, fmt)
    key = (digest, width, height, palette, fmt)
    with _COMPOSED_LOCK:
        if key in _COMPOSED:
            _COMPOSED.move_to_end(key)
            return _COMPOSED[key]
    b64 = _compose(photo, width, height, palette, fmt)
    with _COMPOSED_LOCK:
        _COMPOSED[key] = b64
        while len(_COMPOSED) > _COMPOSED_MAX:
            _COMPOSED.popitem(last=False)
    return b64


def _compose(photo: Image.Image, width: int, height: int, palette: int, fmt: str) -> str:
    canvas = _scene(width, height, palette).copy()
    product = photo.convert("RGBA")
    # Scaled up or down to about 60% of the frame, as a model would stage it.
    scale = min(width * 0.6 / product.width, height * 0.6 / product.height)
    product = product.resize((max(1, round(product.width * scale)), max(1, round(product.height * scale))))
    pw, ph = product.size
    left = (width - pw) // 2
    base_y = int(height * (_FLOOR_AT + 0.14))
    top = max(0, base_y - ph)
    shadow = Image.new("L", (width, height), 0)
    ImageDraw.Draw(shadow).ellipse(
        (left + pw * 0.08, base_y - ph * 0.05, left + pw * 0.92, base_y + ph * 0.08), 110
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(radius=max(4, pw // 20)))
    canvas = Image.composite(Image.new("RGB", (width, height), (60, 50, 45)), canvas, shadow)
    canvas.paste(product.convert("RGB"), (left, top), product.getchannel("A"))
    return base64.b64encode(_encode(canvas, fmt)).decode("ascii")
