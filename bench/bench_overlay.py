"""Times the overlay-and-encode step against its floor, and against sharp.

    .venv/bin/python bench/bench_overlay.py [--images 50] [--rounds 3] [--one-thread] [--no-sharp]

For each of N distinct 1024x1024 model-like PNGs, in one run and interleaved (so machine
load hits both alike):
  floor    decode the PNG, encode JPEG; nothing else
  overlay  what the renderer does once the model's image is in: decode the PNG,
           render_variant(square) with the text layer the handler laid out while the model
           was working (find the product, scene to 1080 with OpenCV, measure, scrim, text,
           badge), encode JPEG. This is the step the target is about.
  layout   lay_out_text(square) alone for a product whose text no cache holds (fit,
           shape, rasterise the glyphs, badge): the work done during the model call
  in one   layout + overlay in one call, text caches cleared first: what `compose` and a
           caller without a model wait pay
  resize   the scene's 1024 -> 1080 resample alone (already decoded), the copy into numpy
           and the wrap back (no copy: the canvas is RGBX) included, to show how much of
           the gap to the floor is the one step no text work can avoid
Medians are reported. sharp runs the same overlay (SVG text composited by libvips) via
`node bench/sharp_overlay.mjs`; install it once with `npm install --prefix bench`.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from services.common.product import Product  # noqa: E402
from services.renderer.formats import encode  # noqa: E402
from services.renderer.overlay import (  # noqa: E402
    TextLayer,
    badge,
    fit,
    lay_out_text,
    price,
    render_variant,
    scene,
    shaping,
    text_layer,
)

PRODUCT = Product(
    name="Sony WH-1000XM5 Wireless Noise Cancelling Headphones",
    price="279.99",
    regularPrice="349.99",
    currency="USD",
    brand="Sony",
    language="en",
)
SHARP_TEXT = {
    "brand": "SONY",
    "line1": "Sony WH-1000XM5 Wireless Noise",
    "line2": "Cancelling Headphones",
    "price": "$279.99",
    "was": "$349.99",
    "offer": "-20%",
}


def model_image(seed: int) -> bytes:
    """A photo-like 1024x1024 PNG: lit gradient, soft shapes, sensor-like grain."""
    rng = random.Random(seed)
    size = (1024, 1024)
    base = Image.linear_gradient("L").resize(size).rotate(rng.uniform(0, 360))
    tint = tuple(rng.randrange(40, 220) for _ in range(3))
    im = Image.merge("RGB", [base.point(lambda v, c=c: (v * c) // 255 + 20) for c in tint])
    draw = ImageDraw.Draw(im)
    for _ in range(6):
        x, y, r = rng.randrange(1024), rng.randrange(1024), rng.randrange(60, 260)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    im = im.filter(ImageFilter.GaussianBlur(6))
    # Low-amplitude grain, as in real renders: it is what makes model PNGs slow to decode.
    grain = Image.frombytes("L", size, rng.randbytes(size[0] * size[1])).point(lambda v: 255 - v // 20)
    im = Image.composite(im, Image.new("RGB", size, (0, 0, 0)), grain)
    buf = io.BytesIO()
    im.save(buf, "PNG")  # zlib level 6, as model APIs and most encoders write
    return buf.getvalue()


def clear_text_caches() -> None:
    # Everything that depends on the product's text. Fonts, cmaps, the badge plate and
    # the scrim tables depend only on the format and stay, as they do in a worker.
    fit.fit_text.cache_clear()
    shaping.shape_line.cache_clear()
    text_layer._block_mask.cache_clear()
    badge.render_badge.cache_clear()
    price.format_price.cache_clear()


def floor(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        encode(im, "jpeg")


def overlay(data: bytes, layer: TextLayer | None = None) -> None:
    with Image.open(io.BytesIO(data)) as im:
        encode(render_variant(im, PRODUCT, format="square", layer=layer).image, "jpeg")


def resize_only(data: bytes) -> None:
    """The part of the overlay that no text work can avoid: scaling the scene to 1080."""
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        start = time.perf_counter()
        scene.to_image(scene.resize_array(im, (1080, 1080), (0.0, 0.0, 1024.0, 1024.0)))
        RESIZE_MS.append((time.perf_counter() - start) * 1000)


RESIZE_MS: list[float] = []


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def run_sharp(images: list[bytes], rounds: int) -> dict[str, list[float]] | None:
    script = Path(__file__).resolve().parent / "sharp_overlay.mjs"
    if shutil.which("node") is None or not (script.parent / "node_modules" / "sharp").exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        for i, data in enumerate(images):
            Path(tmp, f"{i:03d}.png").write_bytes(data)
        Path(tmp, "product.json").write_text(json.dumps(SHARP_TEXT))
        out = subprocess.run(
            ["node", str(script), tmp, str(rounds)], capture_output=True, text=True, check=True
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3, help="passes over the images (medians over all)")
    ap.add_argument("--one-thread", action="store_true", help="keep OpenCV to one thread (it may use two)")
    ap.add_argument("--no-sharp", action="store_true")
    args = ap.parse_args()
    scene.PARALLEL = not args.one_thread
    images = [model_image(i) for i in range(args.images)]
    overlay(images[0])  # warm-up: fonts, cmaps and the badge are per-process costs
    floors, after, layouts, in_one = [], [], [], []
    for _ in range(args.rounds):
        for data in images:
            floors.append(timed(floor, data))
            clear_text_caches()
            start = time.perf_counter()
            layer = lay_out_text(PRODUCT, format="square")
            layouts.append((time.perf_counter() - start) * 1000)
            after.append(timed(overlay, data, layer))
            clear_text_caches()
            in_one.append(timed(overlay, data))
            resize_only(data)
    f, a, lay, c = (statistics.median(x) for x in (floors, after, layouts, in_one))
    print(
        f"images: {args.images} x {args.rounds} rounds, 1024x1024 PNG -> 1080x1080 JPEG q88"
        f"{' (OpenCV on one thread)' if args.one_thread else ''}"
    )
    print(f"floor  (decode PNG + encode JPEG)     median {f:7.1f} ms")
    print(f"overlay, text laid out ahead          median {a:7.1f} ms   {a / f:4.2f}x floor  (target <= 1.3x)")
    print(f"  text layout alone (during the model call) {lay:5.1f} ms")
    print(f"overlay with the layout in one call   median {c:7.1f} ms   {c / f:4.2f}x floor")
    r = statistics.median(RESIZE_MS)
    print(f"  of which resize 1024 -> 1080 alone  median {r:7.1f} ms   {r / f:4.2f}x floor")
    sharp = None if args.no_sharp else run_sharp(images, args.rounds)
    if sharp is None:
        print("sharp: skipped (npm install --prefix bench)")
    else:
        s, sf = statistics.median(sharp["overlay_ms"]), statistics.median(sharp["floor_ms"])
        print(f"sharp overlay (SVG composite)         median {s:7.1f} ms   (its own floor {sf:.1f} ms)")
        print(f"overlay in one call / sharp           {c / s:4.2f}x   (target <= 0.6x)")
        print(f"overlay, text laid out ahead / sharp  {a / s:4.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
