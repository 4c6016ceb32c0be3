"""The text half of the gate: a variant is published only when its facts read back.

Blocking (Pillow, tesseract): the handler runs ``render_checked`` on a worker thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from services.common.product import Product
from services.renderer.formats import encode
from services.renderer.overlay import RenderedVariant, TextLayer, render_variant
from services.renderer.quality.ocr import tesseract_available
from services.renderer.quality.readback import read_back
from services.renderer.quality.relayout import on_stronger_backdrop
from services.renderer.quality.report import CheckResult, QAReport

__all__ = ["CheckedVariant", "render_checked", "check_text"]


@dataclass(frozen=True, slots=True)
class CheckedVariant:
    data: bytes
    overlay_text: str
    width: int
    height: int
    report: QAReport


def check_text(variant: RenderedVariant, layer: TextLayer) -> tuple[RenderedVariant, QAReport]:
    """The variant to publish and its read-back report: as rendered when it reads back, else
    re-laid on a stronger backdrop; the report fails when that does not read back either."""
    report = QAReport(subject=layer.format)
    if not variant.blocks and variant.badge_box is None:
        return variant, report
    if not tesseract_available():
        report.checks.append(CheckResult("ocr", None, 1.0, True, note="skipped: tesseract is not installed"))
        report.action = "skipped"
        return variant, report
    checks = read_back(variant, layer)
    if QAReport.all_passed(checks):
        report.checks = checks
        return variant, report
    stronger = on_stronger_backdrop(variant)
    again = read_back(stronger, layer)
    # Both rounds are kept: the first says what was wrong, the second what was published.
    report.checks = [_renamed(c, "first") for c in checks if not c.passed] + again
    report.passed = QAReport.all_passed(again)
    report.action = "relaid" if report.passed else "failed"
    return stronger, report


def _renamed(check: CheckResult, round_: str) -> CheckResult:
    return CheckResult(f"{check.check}.{round_}", check.score, check.threshold, check.passed,
                       check.higher_is_better, check.note)


def render_checked(background: bytes, product: Product, layer: TextLayer, output: str,
                   *, read: bool = True) -> CheckedVariant:
    """Render one format, check its text (``read``), encode what is to be published."""
    with Image.open(io.BytesIO(background)) as img:
        img.load()
        variant = render_variant(img, product, format=layer.format, layer=layer)
    report = QAReport(subject=layer.format)
    if read:
        variant, report = check_text(variant, layer)
    data = encode(variant.image, output)
    return CheckedVariant(data, variant.overlay_text, variant.image.width, variant.image.height, report)
