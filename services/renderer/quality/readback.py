"""Text read-back: OCR a finished variant and compare it with the facts laid out on it.

Only the pixels a customer sees are read: each text block's box is cut from the finished
image (grey, dark ink on light, scaled to a ~40 px line), the offer badge's inner part
(its white text isolated from the red disc), stacked into one strip and read with one
tesseract call (~15-30 ms, instead of one per block). Words are assigned back to the
block they sit in by their height in the strip.

Checks (thresholds in ``docs/rendering.md``):
- ``ocr.price``: the decimal digits of the price as laid out, in order, read in the price
  block. Exact (a wrong price is the worst outcome).
- ``ocr.currency``: the currency sign or code beside the amount; only for markers the
  ``eng`` pack reads ($, €, £, ¥ and letter codes), otherwise skipped and said so.
- ``ocr.offer``: the badge's digits exactly and its text (normalised) at >= 0.8 similarity.
- ``ocr.name``: the first three words of the name as laid out, at >= 0.8 similarity, read
  with the name's script's language pack; skipped when that pack is not installed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

import cv2
import numpy as np
from PIL import Image, ImageOps

from services.renderer.overlay import RenderedVariant, TextLayer
from services.renderer.quality.ocr import OcrWord, language_for, read_words, script_of
from services.renderer.quality.report import CheckResult

__all__ = ["read_back", "SIMILARITY", "READABLE_CURRENCY"]

SIMILARITY = 0.8  # name and offer text: share of matching characters (difflib ratio)
READABLE_CURRENCY = re.compile(r"^(?:[$€£¥]|[A-Z]{2,3}|[A-Z]{1,2}\$|[$€£¥][A-Z]{1,3})$")
_LINE_PX = 40  # line height tesseract reads best at
_PAD = 24  # white rows between stacked segments
_NAME_WORDS = 3
_RTL = frozenset({"ARABIC", "HEBREW"})
_BADGE_INK = 190  # the badge's white text vs its disc, on the darkest channel


@dataclass(frozen=True, slots=True)
class _Segment:
    kind: str
    image: Image.Image


def _digits(text: str) -> str:
    """The decimal digits of ``text`` in any script, as ASCII ("١٢٣" -> "123")."""
    return "".join(str(unicodedata.decimal(c)) for c in text if unicodedata.decimal(c, None) is not None)


def _plain(text: str) -> str:
    """Lower case, no accents, letters, digits and % only, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c if (c.isalnum() or c == "%") else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


def _partial_ratio(expected: str, read: str) -> float:
    """How well ``expected`` matches the best window of ``read`` of its length."""
    if not expected:
        return 1.0
    if len(read) <= len(expected):
        return SequenceMatcher(None, expected, read).ratio()
    return max(SequenceMatcher(None, expected, read[i:i + len(expected)]).ratio()
               for i in range(len(read) - len(expected) + 1))


def _scaled(crop: Image.Image, lines: float) -> Image.Image:
    line = max(1.0, crop.height / max(1, lines))
    factor = min(2.0, max(0.25, _LINE_PX / line))
    size = (max(1, round(crop.width * factor)), max(1, round(crop.height * factor)))
    return crop.resize(size, Image.Resampling.BILINEAR)


def _segments(variant: RenderedVariant, layer: TextLayer) -> list[_Segment]:
    segments: list[_Segment] = []
    image = variant.image
    # render_variant places the layer's blocks in order: the i-th placed block is the i-th laid out.
    for block, laid in zip(variant.blocks, layer.blocks, strict=True):
        if block.kind == "regular_price":
            continue
        grey = image.crop(block.box).convert("L")
        if sum(block.color) > 382:  # light ink: tesseract wants dark text on light
            grey = ImageOps.invert(grey)
        segments.append(_Segment(block.kind, _scaled(grey, len(laid.text.lines))))
    if variant.badge_box is not None and layer.badge is not None:
        segments.append(_Segment("offer", _badge_text(image, variant.badge_box, layer.badge[1])))
    return segments


def _badge_text(image: Image.Image, box: tuple[int, int, int, int], shape: Image.Image) -> Image.Image:
    """The badge's white text as black on white. Only the inside of the badge's own shape
    (the mask it was pasted with, a few pixels in) is kept: the scene around the disc may
    hold white pixels of its own."""
    rgb = np.asarray(image.crop(box).convert("RGB"))
    inside = cv2.erode((np.asarray(shape.convert("L")) > 250).astype(np.uint8), np.ones((7, 7), np.uint8))
    if inside.shape != rgb.shape[:2]:  # not expected (the box is the mask's): match it anyway
        inside = cv2.resize(inside, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_NEAREST)
    # The text is white on the saturated disc: its darkest channel is high only on the text.
    ink = (rgb.min(axis=2) > _BADGE_INK) & (inside > 0)
    text = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))
    # A line of the badge's text is about a quarter of its height.
    return _scaled(text, 4)


def _strip(segments: list[_Segment]) -> tuple[Image.Image, list[tuple[str, int, int]]]:
    width = max(s.image.width for s in segments) + 2 * _PAD
    height = sum(s.image.height for s in segments) + _PAD * (len(segments) + 1)
    strip = Image.new("L", (width, height), 255)
    spans, y = [], _PAD
    for s in segments:
        strip.paste(s.image, (_PAD, y))
        spans.append((s.kind, y - _PAD // 2, y + s.image.height + _PAD // 2))
        y += s.image.height + _PAD
    return strip, spans


def _read(segments: list[_Segment], languages: list[str]) -> dict[str, str]:
    strip, spans = _strip(segments)
    return _by_segment(read_words(strip, languages), spans)


def _by_segment(words: list[OcrWord], spans: list[tuple[str, int, int]]) -> dict[str, str]:
    read: dict[str, list[str]] = {kind: [] for kind, _, _ in spans}
    for word in words:
        middle = word.top + word.height / 2
        for kind, top, bottom in spans:
            if top <= middle < bottom:
                read[kind].append(word.text)
                break
    return {kind: " ".join(texts) for kind, texts in read.items()}


def read_back(variant: RenderedVariant, layer: TextLayer) -> list[CheckResult]:
    """The read-back checks of one finished variant, against the text ``layer`` laid out on it."""
    offer = layer.text.offer
    segments = _segments(variant, layer)
    if not segments:
        return []
    laid = {b.kind: b.text for b in variant.blocks}
    if offer and variant.badge_box is not None:
        laid["offer"] = offer
    name_script = script_of(laid.get("name", ""))
    name_lang = language_for(name_script)
    # The facts are read with English data (digits, Latin signs). A name in another script
    # is read on its own with that script's data: mixed into one engine, Arabic or Hebrew
    # data garbles the digits of the price beside them.
    apart = name_lang not in (None, "eng")
    together = [s for s in segments if not (apart and s.kind == "name")]
    read = _read(together, ["eng"]) if together else {}
    if apart and name_lang is not None:
        read.update(_read([s for s in segments if s.kind == "name"], [name_lang]))
    checks: list[CheckResult] = []
    if "price" in laid:
        checks.extend(_price_checks(laid["price"], read.get("price", "")))
    if "offer" in laid:
        checks.append(_offer_check(laid["offer"], read.get("offer", "")))
    if "name" in laid:
        checks.append(_name_check(laid["name"], read.get("name", ""), name_script, name_lang))
    return checks


def _price_checks(price: str, read: str) -> list[CheckResult]:
    want, got = _digits(price), _digits(read)
    score = 1.0 if want and want in got else _partial_ratio(want, got)
    checks = [CheckResult("ocr.price", score, 1.0, score >= 1.0, note=f"laid out {price!r}, read {read!r}")]
    marker = "".join(c for c in price if not (c.isdigit() or c.isspace() or c in ".,'’\u00a0\u202f-"))
    if not marker:
        return checks
    if not READABLE_CURRENCY.match(marker):
        checks.append(CheckResult("ocr.currency", None, 1.0, True,
                                  note=f"skipped: {marker!r} is not in the read-back character set"))
        return checks
    found = 1.0 if marker.casefold() in read.casefold() else 0.0
    checks.append(CheckResult("ocr.currency", found, 1.0, found >= 1.0, note=f"expected {marker!r}, read {read!r}"))
    return checks


def _offer_check(offer: str, read: str) -> CheckResult:
    want, got = _plain(offer), _plain(read)
    digits_ok = _digits(offer) == _digits(read) if _digits(offer) else True
    score = _partial_ratio(want, got) if digits_ok else 0.0
    return CheckResult("ocr.offer", score, SIMILARITY, score >= SIMILARITY, note=f"laid out {offer!r}, read {read!r}")


def _name_check(name: str, read: str, script: str | None, lang: str | None) -> CheckResult:
    if lang is None:
        return CheckResult("ocr.name", None, SIMILARITY, True,
                           note=f"skipped: no tesseract language pack for {script or 'this'} script installed")
    want = " ".join(_plain(name.replace("…", " ")).split()[:_NAME_WORDS])
    score = _partial_ratio(want, _plain(read))
    if script in _RTL:
        # Tesseract (5.5 with the 4.1 data packs) returns right-to-left words with their
        # letters in visual order: each word is compared reversed too.
        score = max(score, _partial_ratio(want, " ".join(w[::-1] for w in _plain(read).split())))
    return CheckResult("ocr.name", score, SIMILARITY, score >= SIMILARITY,
                       note=f"first words {want!r}, read {read!r}")
