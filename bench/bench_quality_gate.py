"""What the renderer's quality gate costs per image, in process (no AWS, no model).

    .venv/bin/python bench/bench_quality_gate.py [--images 20]

For each of ``--images`` scenes (the local image server's staging of the shop's test photo,
square format), interleaved, the median CPU time (``time.process_time``: every thread of
this process; tesseract runs in process through tesserocr):
- render: ``render_checked`` without the read-back (decode, overlay, encode);
- read-back: the same with the text read back (OCR);
- fidelity: ``measure`` of the scene against the photo (the scene gate's check).
The gate's cost per image is read-back minus render, plus fidelity once per job.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.common.product import Product
from services.renderer.overlay import lay_out_text
from services.renderer.quality.fidelity import measure
from services.renderer.quality.text_gate import render_checked
from tests.unit.renderer.quality.scenes import PHOTOS, staged


def _cpu_ms(fn: Callable[..., object], *args: object, **kwargs: object) -> float:
    start = time.process_time()
    fn(*args, **kwargs)
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--images", type=int, default=20)
    args = parser.parse_args()
    photo = PHOTOS["labelled"]()
    scenes = [staged(photo, palette=i % 4) for i in range(args.images)]
    times: dict[str, list[float]] = {"render": [], "render_and_read_back": [], "fidelity": []}
    for i, scene in enumerate(scenes):
        product = Product(name=f"Copper Kettle 1.5 L no. {i}", price=f"{100 + i}.00", currency="USD",
                          regularPrice=f"{150 + i}.00", brand="Northwind")
        layer = lay_out_text(product, format="square")
        render_checked(scene, product, layer, "jpeg", read=True)  # warm: engines, caches
        times["render"].append(_cpu_ms(render_checked, scene, product, layer, "jpeg", read=False))
        times["render_and_read_back"].append(_cpu_ms(render_checked, scene, product, layer, "jpeg"))
        times["fidelity"].append(_cpu_ms(measure, scene, photo))
    report = {key: round(statistics.median(values), 1) for key, values in times.items()}
    report["read_back"] = round(report["render_and_read_back"] - report["render"], 1)
    print(json.dumps({"images": args.images, "median_cpu_ms": report}, indent=2))


if __name__ == "__main__":
    main()
