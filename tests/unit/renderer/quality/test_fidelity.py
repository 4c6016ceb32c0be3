"""Product fidelity: the local image server's honest scenes pass, its altered ones fail."""

from __future__ import annotations

import pytest

from services.renderer.quality.composite import composite_product
from services.renderer.quality.fidelity import judge, measure
from tests.unit.renderer.quality.scenes import PHOTOS, staged


@pytest.mark.parametrize("photo", sorted(PHOTOS))
@pytest.mark.parametrize("palette", [0, 1])
def test_the_product_as_photographed_passes(photo: str, palette: int) -> None:
    """A scene staging the photo itself passes every fidelity check."""
    data = PHOTOS[photo]()
    checks = judge(measure(staged(data, palette=palette), data))
    assert all(c.passed for c in checks), [c.to_dict() for c in checks]


@pytest.mark.parametrize("photo", sorted(PHOTOS))
@pytest.mark.parametrize("alteration", ["recolour", "warp", "label"])
def test_an_altered_product_fails(photo: str, alteration: str) -> None:
    """Recoloured, bent or relabelled: at least one check fails, so the scene is not used as is."""
    data = PHOTOS[photo]()
    checks = judge(measure(staged(data, alteration), data))
    assert not all(c.passed for c in checks), [c.to_dict() for c in checks]


def test_a_textured_product_is_located_by_its_features() -> None:
    """With a label to match, the homography finds the product and reports where it stands."""
    data = PHOTOS["labelled"]()
    scores = measure(staged(data), data)
    assert scores.located_by == "features" and scores.inliers is not None and scores.inliers >= 0.1
    assert scores.box is not None
    x0, y0, x1, y1 = scores.box
    assert 300 < (x0 + x1) / 2 < 724 and y1 - y0 > 200  # about the middle, about 60% tall


def test_a_plain_product_is_located_by_template_and_says_features_could_not_judge() -> None:
    """A bottle with no texture has too few keypoints: the inlier check is skipped, not passed silently."""
    data = PHOTOS["plain"]()
    scores = measure(staged(data), data)
    assert scores.located_by == "template"
    inliers = judge(scores)[0]
    assert inliers.score is None and inliers.note.startswith("skipped")


@pytest.mark.parametrize("alteration", ["recolour", "warp", "label"])
def test_the_real_photo_composited_over_an_altered_scene_passes(alteration: str) -> None:
    """The fallback paints over the wrong product and stands the real one in its place."""
    data = PHOTOS["plain"]()
    scene = staged(data, alteration)
    scores = measure(scene, data)
    fixed = composite_product(scene, data, scores.box)
    checks = judge(measure(fixed, data))
    assert all(c.passed for c in checks), [c.to_dict() for c in checks]
