"""The text overlay: product facts laid over a scene, legible and on-brand, per format."""

from __future__ import annotations

from services.renderer.overlay.options import OverlayOptions
from services.renderer.overlay.render import PlacedText, RenderedVariant, TextLayer, lay_out_text, render_variant

__all__ = ["OverlayOptions", "PlacedText", "RenderedVariant", "TextLayer", "lay_out_text", "render_variant"]
