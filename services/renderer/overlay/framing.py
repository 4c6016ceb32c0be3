"""The scene framed for a format: scaled and placed so the product stays clear of the text."""

from __future__ import annotations

from PIL import Image

from services.renderer.overlay.backdrop import extend_scene
from services.renderer.overlay.crop import cover_box, focus_point, subject_box
from services.renderer.overlay.layout import Frame
from services.renderer.overlay.placement import Placement, free_regions, place_subject
from services.renderer.overlay.scene import Pixels, resize_array

__all__ = ["compose_scene"]


def compose_scene(
    source: Image.Image,
    frame: Frame,
    boxes: list[tuple[int, int, int, int]],
    badge_box: tuple[int, int, int, int] | None,
) -> tuple[Pixels, Placement, tuple[float, float, float, float] | None]:
    """The scene on the canvas (a new array): scaled and placed so the product's box lies clear of the
    text and badge, extended where it no longer covers the canvas; a plain cover crop
    around the focus when the scene has no distinct product."""
    size = (frame.width, frame.height)
    subject = subject_box(source)
    if subject is not None:
        text = None
        if boxes:
            text = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        safe = (frame.margin_x, frame.margin_top, frame.width - frame.margin_x, frame.height - frame.margin_bottom)
        regions = free_regions(size, safe, text, badge_box, frame.px(24))
        placement = place_subject(source.size, subject, size, regions)
        if placement is not None:
            if placement.covers:
                s, (ox, oy) = placement.scale, placement.offset
                canvas = resize_array(source, size, (-ox / s, -oy / s, (frame.width - ox) / s, (frame.height - oy) / s))
            else:
                canvas = extend_scene(source, placement, size)
            return canvas, placement, placement.map(subject)
    same_aspect = abs(source.width * size[1] - source.height * size[0]) < source.width
    focus = (0.5, 0.5) if same_aspect else focus_point(source)
    box = cover_box(source.size, size, focus)
    scale = frame.height / (box[3] - box[1])
    return resize_array(source, size, box), Placement(scale, (-box[0] * scale, -box[1] * scale), True), None
