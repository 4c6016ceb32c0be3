"""Where things go in each format: margins, safe zones, type sizes, the text stack.

Sizes are designed at 1080 px and scaled; the story format keeps text out of the top and
bottom bands that platforms cover with their own UI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from services.renderer.overlay.fit import FittedText, fit_text
from services.renderer.overlay.options import OverlayText

__all__ = ["Block", "Frame", "frame_for", "stack_blocks"]


@dataclass(frozen=True, slots=True)
class Frame:
    width: int
    height: int
    scale: float
    margin_x: int
    margin_top: int
    margin_bottom: int
    column: int  # max width of the text column
    badge: int  # badge diameter
    rtl: bool
    badge_left: bool = False  # the badge's corner: top left or top right

    def px(self, design_px: float) -> int:
        return max(1, round(design_px * self.scale))


def frame_for(size: tuple[int, int], *, rtl: bool) -> Frame:
    """The geometry of a WIDTHxHEIGHT variant."""
    w, h = size
    scale = min(math.sqrt(w * h), w) / 1080
    margin = round(60 * scale)
    top = bottom = margin
    column = w - 2 * margin
    badge_left = rtl  # square and story: the top corner on the text's far side
    if h / w > 1.5:
        # Stories: the top ~12% and bottom ~13% sit under the app's own header and reply bar.
        top, bottom = round(h * 0.12), round(h * 0.13)
    elif w / h > 1.5:
        # Landscape: text in a column on the reading side, the product in the other half;
        # the badge tops the text column so it never lands on the product.
        column = round(w * 0.5) - margin
        badge_left = not rtl
    return Frame(w, h, scale, margin, top, bottom, column, round(210 * scale), rtl, badge_left)


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "brand" | "name" | "price" | "regular_price"
    text: FittedText
    x: int  # left of the block's box
    top: int
    width: int
    height: int
    strike: bool = False

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.x, self.top, self.x + self.width, self.top + self.height


def _fit_blocks(text: OverlayText, frame: Frame, column: int) -> list[tuple[str, FittedText]]:
    lang = text.language
    fitted: list[tuple[str, FittedText]] = []
    if text.brand:
        fitted.append(
            (
                "brand",
                fit_text(
                    text.brand.upper(),
                    weight="regular",
                    max_width=column,
                    max_lines=1,
                    max_size=frame.px(30),
                    min_size=frame.px(22),
                    language=lang,
                    leading=1.3,
                ),
            )
        )
    if text.name:
        lines = 3 if frame.height >= frame.width else 2
        fitted.append(
            (
                "name",
                fit_text(
                    text.name,
                    weight="bold",
                    max_width=column,
                    max_lines=lines,
                    max_size=frame.px(64),
                    min_size=frame.px(34),
                    language=lang,
                    leading=1.16,
                ),
            )
        )
    if text.price:
        price = fit_text(
            text.price,
            weight="bold",
            max_width=column,
            max_lines=1,
            max_size=frame.px(88),
            min_size=frame.px(44),
            language=lang,
            leading=1.2,
        )
        fitted.append(("price", price))
        if text.regular_price:
            was = fit_text(
                text.regular_price,
                weight="regular",
                max_width=column,
                max_lines=1,
                max_size=max(1, round(price.size * 0.46)),
                min_size=frame.px(24),
                language=lang,
                leading=1.2,
            )
            # The old price is a bonus: drop it rather than shrink the price that sells.
            if not was.truncated and price.width + frame.px(24) + was.width <= column:
                fitted.append(("regular_price", was))
    return fitted


def stack_blocks(text: OverlayText, frame: Frame, column: int | None = None) -> list[Block]:
    """Brand, name and price stacked up from the bottom margin, aligned to the reading
    side (right for Arabic and Hebrew)."""
    column = column or frame.column
    fitted = _fit_blocks(text, frame, column)
    blocks: list[Block] = []
    bottom = frame.height - frame.margin_bottom
    price_row = {kind: ft for kind, ft in fitted if kind in ("price", "regular_price")}
    if "price" in price_row:
        price = price_row["price"]
        row_h = price.height
        top = bottom - row_h
        pw = math.ceil(price.width)
        px = frame.width - frame.margin_x - pw if frame.rtl else frame.margin_x
        blocks.append(Block("price", price, px, top, pw, row_h))
        was = price_row.get("regular_price")
        if was is not None:
            ww, gap = math.ceil(was.width), frame.px(24)
            wx = px - gap - ww if frame.rtl else px + pw + gap
            # Share the price's baseline: the old price sits on the same line, smaller.
            w_top = top + round(
                price.line_height * 0.5 + price.size * 0.36 - was.line_height * 0.5 - was.size * 0.36
            )
            blocks.append(Block("regular_price", was, wx, w_top, ww, was.height, strike=True))
        bottom = top - frame.px(10)
    for kind in ("name", "brand"):
        ft = next((f for k, f in fitted if k == kind), None)
        if ft is None:
            continue
        w = math.ceil(ft.width)
        x = frame.width - frame.margin_x - w if frame.rtl else frame.margin_x
        top = bottom - ft.height
        blocks.append(Block(kind, ft, x, top, w, ft.height))
        bottom = top - frame.px(6)
    return blocks
