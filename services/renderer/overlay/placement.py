"""Where the scene goes on a variant's canvas so the whole product shows and no text or
badge lies on it.

The scene is scaled uniformly (never stretched) so the product's bounding box fits the
largest free region (beside the text column, or above it, each cut clear of the badge),
then slid inside that region towards the position where the scene covers the whole
canvas. When that is possible the result is an ordinary cover crop; otherwise the
uncovered part is filled by `backdrop.extend_scene`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Placement", "Rect", "free_regions", "place_subject"]

Rect = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Placement:
    scale: float  # uniform: output px per scene px
    offset: tuple[float, float]  # where the scene's (0, 0) lands on the canvas
    covers: bool  # the scaled scene fills the whole canvas (a plain cover crop)

    def map(self, box: Rect) -> Rect:
        s, (ox, oy) = self.scale, self.offset
        return box[0] * s + ox, box[1] * s + oy, box[2] * s + ox, box[3] * s + oy


def _width(r: Rect) -> float:
    return r[2] - r[0]


def _height(r: Rect) -> float:
    return r[3] - r[1]


def _clear_of(region: Rect, obstacle: Rect | None, gap: float) -> list[Rect]:
    """`region` if it misses `obstacle`, else the parts of it beside and below/above it."""
    if obstacle is None:
        return [region]
    ox0, oy0, ox1, oy1 = obstacle[0] - gap, obstacle[1] - gap, obstacle[2] + gap, obstacle[3] + gap
    x0, y0, x1, y1 = region
    if ox1 <= x0 or ox0 >= x1 or oy1 <= y0 or oy0 >= y1:
        return [region]
    parts = [(x0, y0, ox0, y1), (ox1, y0, x1, y1), (x0, y0, x1, oy0), (x0, oy1, x1, y1)]
    return [p for p in parts if _width(p) > 0 and _height(p) > 0]


def free_regions(
    canvas: tuple[int, int],
    safe: Rect,
    text: Rect | None,
    badge: Rect | None,
    gap: float,
) -> list[Rect]:
    """Candidate areas for the product inside `safe` (the margins), clear of the text
    block's bounding box and of the badge, each `gap` px away from them."""
    if text is None:
        candidates = [safe]
    else:
        tx0, ty0, tx1, _ = text
        candidates = [
            (safe[0], safe[1], safe[2], min(safe[3], ty0 - gap)),  # above the text
            (max(safe[0], tx1 + gap), safe[1], safe[2], safe[3]),  # right of it
            (safe[0], safe[1], min(safe[2], tx0 - gap), safe[3]),  # left of it
        ]
    out: list[Rect] = []
    for c in candidates:
        if _width(c) > 0 and _height(c) > 0:
            out.extend(_clear_of(c, badge, gap))
    return out


def _axis(lo: float, hi: float, b0: float, b1: float, s: float, length: float, scene: float) -> tuple[float, bool]:
    """The offset along one axis: the subject [b0, b1] must land inside [lo, hi]; among
    those offsets prefer one where the scene spans [0, length], then the centred one."""
    allowed = (lo - b0 * s, hi - b1 * s)  # offsets keeping the subject inside
    centred = (lo + hi) / 2 - (b0 + b1) / 2 * s
    cover = (length - scene * s, 0.0)  # offsets where the scene spans the canvas
    low, high = max(allowed[0], cover[0]), min(allowed[1], cover[1])
    if low <= high + 1e-6:
        return min(max(centred, low), high), True
    # The scene cannot cover this axis: centre the subject in its region.
    return min(max(centred, allowed[0]), allowed[1]), False


def place_subject(
    scene: tuple[int, int], subject: Rect, canvas: tuple[int, int], regions: list[Rect]
) -> Placement | None:
    """The largest uniform scale (capped at the cover scale: no enlargement beyond what
    a cover crop would do) that fits `subject` in one of `regions`; None if none fits."""
    sw, sh = scene
    cw, ch = canvas
    cover = max(cw / sw, ch / sh)
    bw, bh = max(1.0, _width(subject)), max(1.0, _height(subject))
    best: tuple[float, Rect] | None = None
    for r in regions:
        s = min(cover, _width(r) / bw, _height(r) / bh)
        if best is None or s > best[0] + 1e-9:
            best = (s, r)
    if best is None or best[0] <= 0:
        return None
    s, r = best
    ox, cover_x = _axis(r[0], r[2], subject[0], subject[2], s, cw, sw)
    oy, cover_y = _axis(r[1], r[3], subject[1], subject[3], s, ch, sh)
    return Placement(s, (ox, oy), cover_x and cover_y)
