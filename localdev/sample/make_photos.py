"""Draw the sample shop's product photos: ``python -m localdev.sample.make_photos``.

There is no camera and no internet here, so the "studio shots" of the Kiln pour-over set
are rendered with Pillow alone: ``studio.py`` holds the camera, lights, materials and
canvas, ``kiln_set.py`` the objects, and this module arranges them into the shots.
Everything is drawn at twice the size and scaled down, which gives the edges their
antialiasing. The output is deterministic (fixed random seeds), so re-running the script
reproduces the committed JPEGs.
"""

from __future__ import annotations

from pathlib import Path

from localdev.sample import studio
from localdev.sample.kiln_set import carafe, cup, dripper
from localdev.sample.studio import OUT_DIR, SS, Canvas, set_camera

# --- the shots -----------------------------------------------------------------------------


def main_shot(path: Path, size: int = 1200) -> None:
    """The set: dripper on the carafe, centred, one cup in front to the right."""
    set_camera(14)
    c = Canvas(size)
    s = 0.8 * SS * size / 1200
    n = c.size
    carafe_x, carafe_base = n * 0.415, n * 0.845
    cup_x, cup_base = n * 0.715, n * 0.90
    c.shadow(carafe_x, carafe_base, 300 * s)
    carafe(c, carafe_x, carafe_base, s)
    dripper(c, carafe_x, carafe_base - 690 * s * studio.COS_E, s)
    cup(c, cup_x, cup_base, s)
    c.finish(path, size)


def dripper_shot(path: Path, size: int = 1200) -> None:
    """Second angle: the dripper alone, larger and from higher up, so the ribs and the filter show."""
    set_camera(26)
    c = Canvas(size)
    s = 1.45 * SS * size / 1200
    n = c.size
    x, base = n * 0.5, n * 0.76
    c.shadow(x, base, 205 * s, strength=1.0)
    dripper(c, x, base, s)
    c.finish(path, size)


def cups_shot(path: Path, size: int = 600) -> None:
    """Related product: a pair of cups."""
    set_camera(18)
    c = Canvas(size)
    s = 1.25 * SS * size / 1200
    n = c.size
    cup(c, n * 0.34, n * 0.66, s, seed=3)
    cup(c, n * 0.66, n * 0.76, s, seed=5)
    c.finish(path, size)


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    main_shot(OUT_DIR / "product-main.jpg")
    dripper_shot(OUT_DIR / "product-dripper.jpg")
    cups_shot(OUT_DIR / "related-cups.jpg")
    for p in sorted(OUT_DIR.glob("*.jpg")):
        print(f"{p.name}: {p.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
