"""Product fidelity: is the product in the model's scene the product in the source photo?

Blocking (OpenCV, numpy): the gate runs ``measure`` on a worker thread.

1. The product is cut out of the photo (its alpha, or the studio backdrop flood-filled,
   by the offline generator's rule) and its box cropped.
2. It is located in the scene with ORB features (Lowe's ratio test) and a RANSAC
   homography; ``inliers`` is the share of the product's keypoints that the homography
   explains. A product with too few keypoints of its own to judge (a plain bottle) is
   located by multi-scale template matching instead, and the check says so.
3. The located region is brought back into the photo's frame (the inverse homography, or
   the box resized) and compared under the product's mask:
   - ``colour``: CIELAB distance (Delta E 1976) between the mean colours;
   - ``hash``: Hamming distance of 64-bit DCT perceptual hashes (of the grey product on a
     flat grey ground), which shape and label changes move and lighting barely does.

Thresholds (``THRESHOLDS``) and how they were chosen: docs/rendering.md.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from services.renderer.quality.report import CheckResult

__all__ = ["FidelityScores", "THRESHOLDS", "measure", "judge"]

Array = npt.NDArray[Any]  # OpenCV's stubs type results loosely: uint8 images, float matrices


@dataclass(frozen=True, slots=True)
class FidelityThresholds:
    min_inliers: float = 0.10  # share of the product's keypoints the homography explains
    min_keypoints: int = 40  # fewer on the product: features cannot judge it, locate by box
    max_colour: float = 12.0  # Delta E 1976 between mean colours of the product
    max_hash: int = 16  # of 64 bits


THRESHOLDS = FidelityThresholds()
_WORK = 512  # px: the long side both images are compared at
_MIN_CORRELATION = 0.3  # below this the best template match is not the product
_ORB = cv2.ORB.create(nfeatures=1500, fastThreshold=10)


@dataclass(frozen=True, slots=True)
class FidelityScores:
    located_by: str  # "features", "template" or "nowhere"
    keypoints: int  # on the photo's product
    inliers: float | None  # None when features could not judge
    colour: float | None
    hash: int | None
    box: tuple[int, int, int, int] | None = None  # where the product was found, in scene pixels


def _decode(data: bytes, size: int = _WORK) -> Image.Image:
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        out = img.copy()
    out.thumbnail((size, size))
    return out


def _cutout_mask(photo: Image.Image) -> Array | None:
    """The product's mask (0/255): its alpha, or the backdrop flood-filled from the edges.

    The offline generator's rule (``cutout_alpha``: near-uniform edges, a 4-28% to 92%
    share), with OpenCV's flood fill: Pillow's is pure Python, ~0.3 s a photo."""
    if photo.mode in ("RGBA", "LA", "PA") or "transparency" in photo.info:
        alpha = np.asarray(photo.convert("RGBA").getchannel("A"))
        if alpha.min() < 16 and alpha.max() > 240:
            return (alpha > 127).astype(np.uint8) * 255
    rgb = np.array(photo.convert("RGB"))  # writable: floodFill takes it as an output too (MASK_ONLY leaves it)
    h, w = rgb.shape[:2]
    edge = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).astype(np.int16)
    if np.abs(edge - edge.mean(axis=0)).max() > 40:
        return None  # a photo of a scene: no backdrop to remove
    flood = np.zeros((h + 2, w + 2), np.uint8)
    flags = 4 | cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (255 << 8)
    for x, y in [(x, y) for x in range(0, w, 16) for y in (0, h - 1)] + [(x, y) for y in range(0, h, 16)
                                                                         for x in (0, w - 1)]:
        if not flood[y + 1, x + 1]:
            cv2.floodFill(rgb, flood, (x, y), (0, 0, 0), (10, 10, 10), (10, 10, 10), flags)
    mask = np.where(flood[1:-1, 1:-1] > 0, 0, 255).astype(np.uint8)
    share = (mask > 0).mean()
    return mask if 0.04 < share < 0.92 else None


def _product(photo: Image.Image) -> tuple[Array, Array]:
    """The photo's product crop (RGB) and its mask (0/255), same size."""
    mask = _cutout_mask(photo)
    rgb = np.asarray(photo.convert("RGB"))
    if mask is None:  # the whole photo is the product
        return rgb, np.full(rgb.shape[:2], 255, np.uint8)
    x, y, w, h = cv2.boundingRect(mask)
    return rgb[y:y + h, x:x + w], mask[y:y + h, x:x + w]


def _phash(grey: Array, mask: Array) -> int:
    flat = np.where(mask > 0, grey, 128).astype(np.float32)
    small = cv2.resize(flat, (32, 32), interpolation=cv2.INTER_AREA)
    low = cv2.dct(small)[:8, :8].flatten()
    bits = low > np.median(low[1:])
    return int(sum(1 << i for i, b in enumerate(bits) if b))


def _lab_mean(rgb: Array, mask: Array) -> Array:
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float64)
    # OpenCV's 8-bit Lab: L * 255/100, a and b offset by 128.
    lab[..., 0] *= 100 / 255
    lab[..., 1:] -= 128
    return np.asarray(lab[mask > 0].mean(axis=0)) if (mask > 0).any() else np.zeros(3)


def _homography(product: Array, mask: Array, scene: Array) -> tuple[Array | None, int, int]:
    """Photo -> scene homography, inlier count and the product's keypoint count."""
    grey_p = cv2.cvtColor(product, cv2.COLOR_RGB2GRAY)
    grey_s = cv2.cvtColor(scene, cv2.COLOR_RGB2GRAY)
    kp_p, des_p = _ORB.detectAndCompute(grey_p, mask)
    if des_p is None or len(kp_p) < THRESHOLDS.min_keypoints:
        return None, 0, len(kp_p)
    kp_s, des_s = _ORB.detectAndCompute(grey_s, None)
    if des_s is None or len(kp_s) < 2:
        return None, 0, len(kp_p)
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(des_p, des_s, k=2)
    good = [m for m, *rest in pairs if rest and m.distance < 0.8 * rest[0].distance]
    if len(good) < 8:
        return None, 0, len(kp_p)
    src = np.array([kp_p[m.queryIdx].pt for m in good], np.float32).reshape(-1, 1, 2)
    dst = np.array([kp_s[m.trainIdx].pt for m in good], np.float32).reshape(-1, 1, 2)
    h, inlier_mask = cv2.findHomography(src, dst, cv2.RANSAC, 5.0)
    if h is None:
        return None, 0, len(kp_p)
    return h, int(inlier_mask.sum()), len(kp_p)


def _best_match(scene: Array, product: Array, shares: Any, step: int) -> tuple[float, float, tuple[int, ...]] | None:
    """The best normalised cross-correlation of ``product`` over ``scene`` among the
    product heights ``shares`` (of the scene's height): score, share, box (x ``step``)."""
    sh, sw = scene.shape
    best: tuple[float, float, tuple[int, ...]] | None = None
    for share in shares:
        scale = share * sh / product.shape[0]
        th, tw = round(product.shape[0] * scale), round(product.shape[1] * scale)
        if not (8 <= tw < sw and 8 <= th < sh):
            continue
        template = cv2.resize(product, (tw, th), interpolation=cv2.INTER_AREA)
        _, score, _, (x, y) = cv2.minMaxLoc(cv2.matchTemplate(scene, template, cv2.TM_CCOEFF_NORMED))
        if best is None or score > best[0]:
            best = (score, float(share), (step * x, step * y, step * (x + tw), step * (y + th)))
    return best


def _match_template(product: Array, scene: Array) -> tuple[int, int, int, int] | None:
    """The product's box in the scene by normalised cross-correlation: 12 scales on a 1/2
    copy, then 9 finer ones around the best at full size (a misfit box moves the hash)."""
    grey_s = cv2.cvtColor(scene, cv2.COLOR_RGB2GRAY)
    grey_p = cv2.cvtColor(product, cv2.COLOR_RGB2GRAY)
    half_s = cv2.resize(grey_s, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    half_p = cv2.resize(grey_p, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    coarse = _best_match(half_s, half_p, np.geomspace(0.25, 0.95, 12), 2)
    if coarse is None or coarse[0] < _MIN_CORRELATION:
        return None
    fine = _best_match(grey_s, grey_p, coarse[1] * np.linspace(0.94, 1.06, 9), 1)
    x0, y0, x1, y1 = (fine or coarse)[2]
    return x0, y0, x1, y1


def measure(scene_data: bytes, photo_data: bytes) -> FidelityScores:
    """How closely the product in ``scene_data`` matches the one in ``photo_data``."""
    photo, scene_img = _decode(photo_data), _decode(scene_data)
    with Image.open(io.BytesIO(scene_data)) as full:
        to_scene = full.width / scene_img.width
    product, mask = _product(photo)
    scene = np.asarray(scene_img.convert("RGB"))
    h, inliers, keypoints = _homography(product, mask, scene)
    ph, pw = mask.shape
    ratio: float | None
    if h is not None and inliers >= 4:
        back = cv2.warpPerspective(scene, np.linalg.inv(h), (pw, ph), flags=cv2.INTER_LINEAR)
        located, ratio = "features", inliers / max(1, keypoints)
        outline = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32).reshape(-1, 1, 2)
        corners = cv2.perspectiveTransform(outline, h)
        bx, by, bw, bh = cv2.boundingRect(corners)
        box = (bx, by, bx + bw, by + bh)
    else:
        found = _match_template(product, scene)
        ratio = None if keypoints < THRESHOLDS.min_keypoints else 0.0
        if found is None:
            return FidelityScores("nowhere", keypoints, ratio, None, None)
        x0, y0, x1, y1 = box = found
        back = cv2.resize(np.ascontiguousarray(scene[y0:y1, x0:x1]), (pw, ph), interpolation=cv2.INTER_AREA)
        located = "template"
    colour = float(np.linalg.norm(_lab_mean(product, mask) - _lab_mean(back, mask)))
    grey_p, grey_b = (cv2.cvtColor(a, cv2.COLOR_RGB2GRAY) for a in (product, back))
    distance = bin(_phash(grey_p, mask) ^ _phash(grey_b, mask)).count("1")
    return FidelityScores(located, keypoints, ratio, colour, distance,
                          tuple(round(v * to_scene) for v in box))  # type: ignore[arg-type]


def judge(scores: FidelityScores) -> list[CheckResult]:
    """The fidelity checks of one scene; a product found nowhere fails every check."""
    t = THRESHOLDS
    where = f"located by {scores.located_by}"
    if scores.inliers is None:
        inliers = CheckResult("fidelity.inliers", None, t.min_inliers, True,
                              note=f"skipped: {scores.keypoints} keypoints (< {t.min_keypoints}); {where}")
    else:
        inliers = CheckResult("fidelity.inliers", scores.inliers, t.min_inliers, scores.inliers >= t.min_inliers,
                              note=f"{scores.keypoints} keypoints on the product; {where}")
    colour = CheckResult("fidelity.colour", scores.colour, t.max_colour,
                         scores.colour is not None and scores.colour <= t.max_colour, higher_is_better=False,
                         note="Delta E of the mean colour" if scores.colour is not None else "product not found")
    phash = CheckResult("fidelity.hash", None if scores.hash is None else float(scores.hash), float(t.max_hash),
                        scores.hash is not None and scores.hash <= t.max_hash, higher_is_better=False,
                        note="perceptual hash distance, bits of 64" if scores.hash is not None else "product not found")
    return [inliers, colour, phash]
