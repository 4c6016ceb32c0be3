"""How many bytes a model's 1024x1024 scene costs on the wire, PNG against JPEG/WebP.

    .venv/bin/python bench/bench_scene_bytes.py PHOTO [PHOTO ...]

The local image server paints flat synthetic scenes that compress far better than a
photograph, so the answer size the cost model uses comes from real photographs instead:
each is encoded as PNG (zlib level 6), JPEG and WebP at quality 90 at its own size, and the
bits per pixel are scaled to 1024x1024 and to base64 (what the API's JSON carries).
docs/capacity.md used scikit-image 0.26.0's sample photographs (`pip download --no-deps
scikit-image==0.26.0`, then the PNG/JPEG files under skimage/data in the wheel).
"""

from __future__ import annotations

import io
import statistics
import sys
from pathlib import Path

from PIL import Image

PIXELS = 1024 * 1024
BASE64 = 4 / 3


def encoded_bytes(img: Image.Image, fmt: str) -> int:
    out = io.BytesIO()
    options = {"compress_level": 6} if fmt == "PNG" else {"quality": 90}
    img.save(out, format=fmt, **options)
    return len(out.getvalue())


def main(paths: list[str]) -> None:
    if not paths:
        sys.exit(__doc__)
    answers: dict[str, list[float]] = {"PNG": [], "JPEG": [], "WEBP": []}
    for path in paths:
        with Image.open(path) as opened:
            img = opened.convert("RGB")
        row = []
        for fmt, sizes in answers.items():
            mb = encoded_bytes(img, fmt) / (img.width * img.height) * PIXELS * BASE64 / 1e6
            sizes.append(mb)
            row.append(f"{fmt.lower()} {mb:5.2f} MB")
        print(f"{Path(path).name:24s} {img.width}x{img.height}  " + "  ".join(row))
    png = statistics.median(answers["PNG"])
    print("median answer for a 1024x1024 scene, base64: " + "  ".join(
        f"{fmt.lower()} {statistics.median(v):.2f} MB" for fmt, v in answers.items())
        + f"  (PNG / JPEG: {png / statistics.median(answers['JPEG']):.1f}x)")


if __name__ == "__main__":
    main(sys.argv[1:])
