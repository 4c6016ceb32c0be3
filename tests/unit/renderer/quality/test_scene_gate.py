"""The scene gate: regenerate once, then composite or fail, and say which in the report."""

from __future__ import annotations

import pytest

from services.common.product import Product
from services.renderer.generation.base import GeneratedImage, GenerationRequest
from services.renderer.quality.fidelity import judge, measure
from services.renderer.quality.scene_gate import SceneFidelityError, gate_scene
from tests.unit.renderer.quality.scenes import PHOTOS, staged

PHOTO = PHOTOS["plain"]()


class _Model:
    """Answers each generate() with the next scripted alteration (None: the honest scene)."""

    name = "fake-model"

    def __init__(self, *alterations: str | None) -> None:
        self._script = list(alterations)
        self.requests: list[GenerationRequest] = []

    async def generate(self, request: GenerationRequest) -> GeneratedImage:
        self.requests.append(request)
        assert request.photo is not None
        return GeneratedImage(staged(request.photo, self._script.pop(0)), self.name)

    async def aclose(self) -> None:
        return None


def _request(photo: bytes | None = PHOTO) -> GenerationRequest:
    return GenerationRequest(product=Product(name="Copper Kettle"), photo=photo, job_id="j1")


async def test_an_honest_scene_passes_untouched() -> None:
    """No second call, the model's own pixels, every check passed."""
    model = _Model()
    first = GeneratedImage(staged(PHOTO), "fake-model")
    verdict = await gate_scene(model, _request(), first)
    assert verdict.image is first and model.requests == []
    assert verdict.report.passed and verdict.report.action == "none"
    assert {c.check for c in verdict.report.checks} == {"fidelity.inliers", "fidelity.colour", "fidelity.hash"}


async def test_an_altered_scene_is_regenerated_with_the_failure_in_the_prompt() -> None:
    """The first scene is recoloured: the model is asked again, told what changed, and its
    honest second scene is used; the report keeps the first round's failed scores."""
    model = _Model(None)
    verdict = await gate_scene(model, _request(), GeneratedImage(staged(PHOTO, "recolour"), "fake-model"))
    assert len(model.requests) == 1 and "changed the product (colour)" in (model.requests[0].note or "")
    assert verdict.report.action == "regenerated" and verdict.report.passed
    first = {c.check: c for c in verdict.report.checks if c.check.endswith(".first")}
    assert not first["fidelity.colour.first"].passed


async def test_twice_altered_is_composited_by_default_and_the_real_product_shows() -> None:
    """Both scenes are wrong: the real cut-out is composited, and measured again to prove it."""
    model = _Model("warp")
    verdict = await gate_scene(model, _request(), GeneratedImage(staged(PHOTO, "label"), "fake-model"))
    assert verdict.report.action == "composited" and verdict.report.passed
    assert all(c.passed for c in verdict.report.checks if c.check.endswith(".composite"))
    assert all(c.passed for c in judge(measure(verdict.image.data, PHOTO)))


async def test_twice_altered_with_fail_fails_with_a_reason_a_person_can_act_on() -> None:
    """onFidelityFailure=fail: a permanent error naming the failed checks and what to do."""
    model = _Model("recolour")
    with pytest.raises(SceneFidelityError) as caught:
        await gate_scene(model, _request(), GeneratedImage(staged(PHOTO, "recolour"), "fake-model"),
                         on_failure="fail")
    assert caught.value.permanent
    assert "changed the product twice (colour" in caught.value.reason
    assert "onFidelityFailure=composite" in caught.value.reason
    assert caught.value.report.action == "failed" and not caught.value.report.passed


async def test_the_offline_composite_passes_by_construction() -> None:
    """The offline generator stands the photo's own pixels in its scene: not measured, said so."""
    model = _Model()
    verdict = await gate_scene(model, _request(), GeneratedImage(b"not even an image", "offline"))
    assert verdict.report.passed and verdict.report.action == "none"
    assert "offline composite" in verdict.report.checks[0].note and model.requests == []


async def test_without_a_photo_there_is_nothing_to_compare() -> None:
    """Prompt-only scenes are reported as skipped, not as passed checks."""
    verdict = await gate_scene(_Model(), _request(photo=None), GeneratedImage(b"x", "fake-model"))
    assert verdict.report.action == "skipped" and verdict.report.checks[0].score is None
