"""The overlay's OpenCV fast paths against the exact definitions they stand in for."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from services.renderer.overlay import compositing, contrast
from services.renderer.overlay.backdrop import _blend
from services.renderer.overlay.scene import resize_array, to_array, to_image

WEIGHTS = np.array(contrast._WEIGHTS)


def _all_colours() -> np.ndarray:
    v = np.arange(256, dtype=np.uint8)
    r, g, b = np.meshgrid(v, v, v, indexing="ij")
    return np.stack([r.ravel(), g.ravel(), b.ravel()], -1).reshape(4096, 4096, 3)


def test_grey_conversion_rounds_within_the_assumed_bound() -> None:
    # contrast._GREY_ERROR rests on this, on every 8-bit colour.
    colours = _all_colours()
    grey = cv2.cvtColor(colours, cv2.COLOR_RGB2GRAY).astype(np.float64)
    exact = (colours.astype(np.float64) @ np.array(contrast._GREY_COEFS, dtype=np.float64)) / 16384
    assert np.abs(grey - exact).max() <= contrast._GREY_ERROR


def test_measured_range_holds_the_true_luminance_of_every_colour() -> None:
    colours = _all_colours()
    true = (contrast._LINEAR[colours] * WEIGHTS).sum(-1)
    rows = [(0, y, 4096, y + 256) for y in range(0, 4096, 256)]
    for (x0, y0, x1, y1), (lo, hi) in zip(rows, contrast.luminance_ranges(colours, rows), strict=True):
        part = true[y0:y1, x0:x1]
        assert lo <= part.min() and part.max() <= hi
        # and not much wider: the rounding bound plus one grey step
        assert part.min() - lo < 2.1 / contrast._SCALE and hi - part.max() < 2.1 / contrast._SCALE


@pytest.mark.parametrize("scrim", [(0, 0, 0), (255, 255, 255)])
def test_measuring_through_a_table_is_measuring_the_mapped_pixels(scrim: tuple[int, int, int]) -> None:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (120, 300, 3), dtype=np.uint8)
    boxes = [(0, 0, 300, 40), (20, 50, 200, 120)]
    lut = compositing._scrim_lut(scrim, 141)
    mapped = cv2.LUT(pixels, compositing._lut_array(lut))
    assert contrast.luminance_ranges(pixels, boxes, lut=lut) == contrast.luminance_ranges(mapped, boxes)


@pytest.mark.parametrize("scrim", [(0, 0, 0), (255, 255, 255)])
def test_range_after_bounds_every_colour_and_is_tight_for_greys(scrim: tuple[int, int, int]) -> None:
    rng = np.random.default_rng(3)
    colours = rng.integers(0, 256, (20000, 3))
    before = (contrast._LINEAR[colours] * WEIGHTS).sum(-1)
    for level in (16, 80, 143, 240):
        table = np.array(compositing._scrim_lut(scrim, level)[:256])
        after = (contrast._LINEAR[table[colours]] * WEIGHTS).sum(-1)
        for y, y_after in zip(before[:3000], after[:3000], strict=True):
            lo, hi = contrast.range_after(compositing._scrim_lut(scrim, level), (y, y))  # type: ignore[misc]
            assert lo <= y_after <= hi
        if scrim == (0, 0, 0):
            # Tight where it decides, the brightest pixel under a dark scrim, so the
            # exact pass is seldom needed. (A light scrim lifts dark greys along a concave
            # curve, whose convex envelope is a loose chord: dark text measures again.)
            for v in range(0, 256, 5):
                _, hi = contrast.range_after(compositing._scrim_lut(scrim, level), (contrast._LINEAR[v],) * 2)  # type: ignore[misc]
                assert hi - contrast._LINEAR[table[v]] < 0.01
    assert contrast.range_after(compositing._scrim_lut((200, 10, 10), 100), (0.2, 0.3)) is None


@pytest.mark.parametrize("scrim", [(0, 0, 0), (255, 255, 255)])
def test_scrim_arithmetic_equals_the_table_at_every_level(scrim: tuple[int, int, int]) -> None:
    v = np.arange(256, dtype=np.uint8).reshape(16, 16)
    for level in range(256):
        table = np.array(compositing._scrim_lut(scrim, level)[:256], dtype=np.uint8)
        out = cv2.convertScaleAbs(v, alpha=(255 - level) / 255, beta=scrim[0] * level / 255)
        assert (out.ravel() == table).all(), level


def _rgbx(pixels: np.ndarray) -> np.ndarray:
    """The canvas layout: RGB plus a padding byte (set to 255, as Pillow does)."""
    return cv2.cvtColor(pixels, cv2.COLOR_RGB2RGBA)


@pytest.mark.parametrize("channels", [3, 4])
@pytest.mark.parametrize("scrim", [(0, 0, 0), (255, 255, 255), (30, 60, 90)])
def test_ramp_equals_pillows_masked_paste(scrim: tuple[int, int, int], channels: int) -> None:
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, (300, 257, 3), dtype=np.uint8)
    expected = Image.fromarray(pixels)
    expected.paste(compositing._solid(scrim, (257, 180)), (0, 100), compositing._ramp_mask(257, 180, 201))
    canvas = _rgbx(pixels) if channels == 4 else pixels
    compositing._lay_ramp(canvas, scrim, 100, 180, 201)
    assert np.array_equal(canvas[..., :3], np.asarray(expected))


def test_rgbx_measurement_equals_rgb_for_every_colour() -> None:
    # The canvas is RGBX: cv2's RGBA -> grey must weigh and round exactly as RGB -> grey.
    colours = _all_colours()
    rows = [(0, y, 4096, y + 256) for y in range(0, 4096, 256)]
    rgbx = _rgbx(colours)
    assert contrast.luminance_ranges(rgbx, rows) == contrast.luminance_ranges(colours, rows)
    lut = compositing._scrim_lut((0, 0, 0), 141)
    assert contrast.luminance_ranges(rgbx, rows, lut=lut) == contrast.luminance_ranges(colours, rows, lut=lut)
    mapped = cv2.LUT(rgbx, compositing._lut_array(lut, 4))
    assert np.array_equal(mapped[..., :3], cv2.LUT(colours, compositing._lut_array(lut)))


def test_array_round_trip_copies_once_in_and_not_at_all_out() -> None:
    rng = np.random.default_rng(4)
    rgb = rng.integers(0, 256, (37, 53, 3), dtype=np.uint8)
    source = Image.fromarray(rgb)
    pixels = to_array(source)
    assert pixels.shape == (37, 53, 4) and np.array_equal(pixels[..., :3], rgb)
    image = to_image(pixels)
    assert image.mode == "RGB" and np.array_equal(np.asarray(image), rgb)
    # On the pinned Pillow the image wraps the array (no copy): writes show through.
    pixels[0, 0, :3] = (1, 2, 3)
    assert image.getpixel((0, 0)) == (1, 2, 3)
    image.paste((9, 8, 7), (1, 0, 2, 1))
    assert tuple(pixels[0, 1, :3]) == (9, 8, 7)


def test_feathered_blend_matches_pillows_masked_paste_within_a_level() -> None:
    rng = np.random.default_rng(9)
    under = rng.integers(0, 256, (200, 300, 3), dtype=np.uint8)
    over = rng.integers(0, 256, (200, 300, 3), dtype=np.uint8)
    mask = np.full((200, 300), 255, dtype=np.uint8)
    ramp = np.linspace(0, 255, 60).astype(np.uint8)
    mask[:, :60] = ramp  # feathered left edge, opaque elsewhere
    mask[:20] = np.minimum(mask[:20], ramp[::3, None])
    expected = Image.fromarray(under)
    expected.paste(Image.fromarray(over), (0, 0), Image.fromarray(mask))
    out = under.copy()
    _blend(out, over, mask)
    assert np.abs(out.astype(int) - np.asarray(expected).astype(int)).max() <= 1


@pytest.mark.parametrize(
    ("size", "box"),
    [
        ((1080, 1080), (0.0, 0.0, 1024.0, 1024.0)),  # square from a model image: 1.05x
        ((1080, 1920), (224.0, 0.0, 800.0, 1024.0)),  # story: 1.875x, bicubic
        ((1200, 628), (0.0, 115.7, 1536.0, 919.5)),  # landscape from 1536x1024: 0.78x
        ((700, 700), (0.0, 0.0, 1024.0, 1024.0)),  # 0.68x: blurred first
        ((300, 300), (0.0, 0.0, 1024.0, 1024.0)),  # 0.29x: area
    ],
)
def test_resize_stays_close_to_pillows(size: tuple[int, int], box: tuple[float, float, float, float]) -> None:
    base = Image.linear_gradient("L").resize((1536, 1024))
    rng = np.random.default_rng(1)
    grain = Image.fromarray(rng.integers(0, 24, (1024, 1536), dtype=np.uint8))
    source = Image.merge("RGB", [base, base.rotate(90).resize((1536, 1024)), grain])
    snapped = tuple(float(round(v)) for v in box)
    pillow = Image.Resampling.BICUBIC if size[1] / (box[3] - box[1]) > 1.2 else Image.Resampling.BILINEAR
    expected = np.asarray(source.resize(size, pillow, box=snapped)).astype(int)  # type: ignore[arg-type]
    out = resize_array(source, size, box)
    assert out.shape == (size[1], size[0], 4)  # RGBX
    diff = np.abs(out[..., :3].astype(int) - expected)
    assert diff.mean() < 1.5 and np.percentile(diff, 99.9) <= 12
    image = to_image(out)
    assert image.size == size and image.mode == "RGB"
    assert np.array_equal(np.asarray(image), out[..., :3])


@pytest.mark.parametrize("channels", [3, 4])
@pytest.mark.parametrize("color", [(255, 255, 255), (17, 17, 17), (0, 0, 0), (40, 80, 120)])
@pytest.mark.parametrize("origin", [(10, 20), (-30, 250), (200, -50)])
def test_text_equals_pillows_masked_paste(color: tuple[int, int, int], origin: tuple[int, int], channels: int) -> None:
    rng = np.random.default_rng(2)
    pixels = rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)
    mask = Image.fromarray(rng.integers(0, 256, (120, 500), dtype=np.uint8))
    expected = Image.fromarray(pixels)
    expected.paste(compositing._solid(color, mask.size), origin, mask)
    canvas = _rgbx(pixels) if channels == 4 else pixels
    compositing.lay_text(canvas, color, origin, mask)
    assert np.array_equal(canvas[..., :3], np.asarray(expected))
