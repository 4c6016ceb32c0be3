"""The stronger backdrop a variant gets when its text does not read back.

The renderer's scrim already brings every text box to >= 4.5:1 contrast against the worst
pixel under it, but contrast is not legibility: a busy scene (stripes, foliage, type in
the picture) can keep a word unreadable at any contrast. The re-layout lays an almost
opaque panel under each text block, in the scrim's colour (dark under light ink, light
under dark ink), and sets the same glyphs again on it: the scene no longer shows through
the letters at all. The badge keeps its own opaque disc.
"""

from __future__ import annotations

import dataclasses

from PIL import Image, ImageDraw

from services.renderer.overlay import RenderedVariant

__all__ = ["on_stronger_backdrop", "PANEL_OPACITY"]

PANEL_OPACITY = 0.9  # the scene keeps a trace of itself under the panel, the text does not need more


def on_stronger_backdrop(variant: RenderedVariant) -> RenderedVariant:
    """``variant`` with a near-opaque panel under each text block, the text set again on top."""
    image = variant.image.copy()
    panel = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(panel)
    for block in variant.blocks:
        x0, y0, x1, y1 = block.box
        pad = max(6, (y1 - y0) // 6)
        draw.rounded_rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad), radius=pad, fill=round(255 * PANEL_OPACITY))
    light_ink = bool(variant.blocks) and sum(variant.blocks[0].color) > 382
    image.paste((0, 0, 0) if light_ink else (255, 255, 255), (0, 0), panel)
    for block in variant.blocks:
        image.paste(block.color, block.origin, block.mask)  # type: ignore[arg-type]
    return dataclasses.replace(variant, image=image, scrim_alpha=max(variant.scrim_alpha, PANEL_OPACITY))
