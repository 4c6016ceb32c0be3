"""The scene half of the gate: the model's scene must show the product of the source photo.

A scene that fails is generated once more, the failure noted in the prompt; if that one
fails too, the job's ``onFidelityFailure`` decides: ``composite`` (the default) stands
the real cut-out photo in the scene, ``fail`` fails the job with a reason a person can
act on. The offline generator stands the photo's own pixels in its scene: it passes by
construction and is not measured. Without a photo there is nothing to compare with.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass

from services.renderer.generation.base import GeneratedImage, GenerationRequest, ImageGenerator
from services.renderer.quality.composite import composite_product
from services.renderer.quality.errors import QualityGateError
from services.renderer.quality.fidelity import FidelityScores, judge, measure
from services.renderer.quality.report import CheckResult, QAReport

__all__ = ["SceneVerdict", "gate_scene", "RETRY_NOTE", "ON_FAILURE"]

ON_FAILURE = ("composite", "fail")
RETRY_NOTE = ("Important: the previous image changed the product ({failed}). Reproduce the product from the "
              "input image exactly, pixel for pixel where possible; change only the background.")


@dataclass(frozen=True, slots=True)
class SceneVerdict:
    image: GeneratedImage
    report: QAReport


def _checked(scores: FidelityScores, round_: str | None) -> list[CheckResult]:
    checks = judge(scores)
    if round_ is None:
        return checks
    return [dataclasses.replace(c, check=f"{c.check}.{round_}") for c in checks]


def _failed_names(checks: list[CheckResult]) -> str:
    return ", ".join(c.check.split(".")[1] for c in checks if not c.passed)


async def gate_scene(generator: ImageGenerator, request: GenerationRequest, generated: GeneratedImage,
                     *, on_failure: str = "composite") -> SceneVerdict:
    """The scene to render from, and its report; raises QualityGateError when it must fail."""
    report = QAReport(subject="scene")
    photo = request.photo
    if photo is None:
        report.checks.append(CheckResult("fidelity", None, 0.0, True, note="skipped: no product photo"))
        report.action = "skipped"
        return SceneVerdict(generated, report)
    if generated.model == "offline":
        report.checks.append(CheckResult("fidelity", None, 0.0, True,
                                         note="skipped: the offline composite is the photo itself"))
        return SceneVerdict(generated, report)
    first = await asyncio.to_thread(measure, generated.data, photo)
    checks = _checked(first, None)
    if QAReport.all_passed(checks):
        report.checks = checks
        return SceneVerdict(generated, report)
    note = RETRY_NOTE.format(failed=_failed_names(checks))
    again = await generator.generate(dataclasses.replace(request, note=note))
    second = await asyncio.to_thread(measure, again.data, photo)
    retried = _checked(second, None)
    report.checks = _checked(first, "first") + retried
    if QAReport.all_passed(retried):
        report.action = "regenerated"
        return SceneVerdict(again, report)
    if on_failure == "fail":
        report.passed, report.action = False, "failed"
        raise SceneFidelityError(
            f"quality gate: the image model changed the product twice ({_failed_names(retried)}; "
            "see qa). Retry the job, choose onFidelityFailure=composite, or use a cleaner product photo "
            "(plain background, product fully in frame).", report)
    data = await asyncio.to_thread(composite_product, again.data, photo, second.box)
    report.action = "composited"
    # The composite's own measurement: what is published shows the real product.
    report.checks += _checked(await asyncio.to_thread(measure, data, photo), "composite")
    return SceneVerdict(dataclasses.replace(again, data=data), report)


class SceneFidelityError(QualityGateError):
    """The scene failed the fidelity checks twice and the job asked to fail rather than composite."""

    def __init__(self, reason: str, report: QAReport) -> None:
        super().__init__(reason)
        self.report = report
