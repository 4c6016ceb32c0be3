"""Offline preview of the overlay: lay a product's facts over a background image.

    python -m services.renderer.compose --background scene.png --product product.json \\
        [--format square|landscape|story] [--output jpeg|png|webp] --out preview.jpg

No AWS and no model call: designers and bug reports use it to see exactly what the
renderer would publish for a product over a given scene.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from services.common.product import Product
from services.renderer.formats import FORMATS, OUTPUTS, encode
from services.renderer.overlay import OverlayOptions, render_variant

__all__ = ["main"]

_EPILOG = """\
product JSON: the scraper's fields, e.g.
  {"name": "Trail Runner GTX", "price": "129.90", "regularPrice": "159.90",
   "currency": "EUR", "brand": "Alpina", "language": "de"}
  -> "Trail Runner GTX", "129,90 €" with "159,90 €" struck through, badge "-19%".
  "offer" (shop text) replaces the computed badge; "language" picks number format,
  text direction and CJK glyph forms. A job-shaped object {"product": {...}} works too.

exit status: 0 written, 2 bad arguments or unreadable input.
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m services.renderer.compose",
        description="Lay the product overlay (name, price, offer badge, brand) over a background.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--background", required=True, type=Path, metavar="IMAGE", help="scene image (PNG, JPEG, WebP)"
    )
    p.add_argument("--product", required=True, type=Path, metavar="FILE.json", help="product facts as JSON")
    p.add_argument(
        "--format", default="square", choices=sorted(FORMATS), help="variant size (default: square)"
    )
    p.add_argument(
        "--output",
        default=None,
        choices=sorted(OUTPUTS),
        help="encoding (default: from --out suffix, else jpeg)",
    )
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="where to write the image")
    for part in ("name", "price", "offer", "brand"):
        p.add_argument(f"--no-{part}", action="store_true", help=f"leave the {part} out")
    return p


def _output_for(out: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    suffix = out.suffix.lower().lstrip(".")
    return {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "webp": "webp"}.get(suffix, "jpeg")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        data = json.loads(args.product.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("product"), dict):
            data = data["product"]
        if not isinstance(data, dict):
            raise ValueError("the product JSON must be an object")
        product = Product.from_dict(data)
        with Image.open(args.background) as background:
            background.load()
            options = OverlayOptions(
                show_name=not args.no_name,
                show_price=not args.no_price,
                show_offer=not args.no_offer,
                show_brand=not args.no_brand,
            )
            variant = render_variant(background, product, format=args.format, options=options)
    except (OSError, ValueError, UnidentifiedImageError) as exc:
        print(f"compose: {exc}", file=sys.stderr)
        return 2
    output = _output_for(args.out, args.output)
    args.out.write_bytes(encode(variant.image, output))
    w, h = variant.image.size
    print(f"{args.out} {w}x{h} {output}: {variant.overlay_text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
