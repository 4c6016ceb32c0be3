"""Time our extractor against extruct + price-parser over the corpus, in one run.

    .venv/bin/python bench/bench_extraction.py [--repeat 7] [--big-mb 5]

Prints, for the corpus pages as they are and inflated to ~400 KB (the size of real shop
pages: mega menus, product grids, review lists, inline state scripts):
the median time per page of each, the ratio, how many fields each extracted and how
many were right. First it prints the peak RSS of a fresh process extracting a generated
page of --big-mb megabytes (VmHWM, or ru_maxrss where there is no /proc: the whole
process, interpreter and imports included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpus.evaluate import load_corpus, read_page  # noqa: E402

FIELDS = ("name", "price", "currency", "availability", "brand", "sku", "gtin", "description", "images")


def inflate(html: str, target: int) -> str:
    """The page with shop noise added before </main> until it is about ``target`` bytes."""
    card = (
        '<li class="grid__item product-card"><a href="/p/item-{n}"><img src="/img/item-{n}.jpg" '
        'loading="lazy" alt="Item {n}"><span class="card__title">Item {n} with a longer title</span>'
        '<span class="price">${n}.99</span></a></li>'
    )
    review = (
        '<div class="review"><span class="stars">4.{d} out of 5</span><p>Great product, arrived in {d} days. '
        "Would buy again; the quality is better than the one I had before.</p></div>"
    )
    state = json.dumps(
        {
            "products": [
                {"id": n, "title": f"Item {n}", "price": n * 100, "tags": ["a", "b"]} for n in range(50)
            ]
        }
    )
    chunks: list[str] = []
    size, n = len(html), 0
    while size < target:
        n += 1
        menu = "".join(f"<li><a href=/c/{n}-{i}>Category {i}</a></li>" for i in range(20))
        cards = "".join(card.format(n=n * 10 + i) for i in range(10))
        reviews = "".join(review.format(d=i % 10) for i in range(10))
        block = (
            f'<nav class="mega-menu"><ul>{menu}</ul></nav>'
            f'<section class="recommendations"><ul>{cards}</ul></section>'
            f'<section class="reviews">{reviews}</section>'
            f"<script>window.__STATE_{n}__ = {state};</script>"
        )
        chunks.append(block)
        size += len(block)
    return html.replace("</main>", "".join(chunks) + "</main>", 1)


def baseline(html: bytes, url: str) -> dict[str, Any]:
    """What people use without us: extruct's default syntaxes, then price-parser on the price."""
    import extruct
    from price_parser import Price

    data = extruct.extract(html, base_url=url, uniform=True, errors="ignore")
    product: dict[str, Any] = {}
    for syntax in ("json-ld", "microdata", "rdfa"):
        for item in data.get(syntax, []):
            nodes = item.get("@graph", [item]) if isinstance(item, dict) else []
            for node in nodes:
                types = node.get("@type") if isinstance(node, dict) else None
                if types and "Product" in (types if isinstance(types, list) else [types]):
                    product = product or node
    offers = product.get("offers") or {}
    offer = offers[0] if isinstance(offers, list) and offers else offers if isinstance(offers, dict) else {}
    og = (
        {k: v for k, v in (data.get("opengraph") or [{}])[0].get("properties", [])}
        if data.get("opengraph")
        else {}
    )
    raw_price = offer.get("price") or offer.get("lowPrice") or og.get("product:price:amount")
    price = Price.fromstring(str(raw_price)) if raw_price is not None else None
    brand = product.get("brand")
    image = product.get("image") or og.get("og:image")
    images = image if isinstance(image, list) else [image] if image else []
    images = [i.get("url") if isinstance(i, dict) else i for i in images]
    return {
        "name": product.get("name") or og.get("og:title"),
        "price": str(price.amount) if price and price.amount is not None else None,
        "currency": offer.get("priceCurrency") or og.get("product:price:currency"),
        "availability": offer.get("availability"),
        "brand": brand.get("name") if isinstance(brand, dict) else brand,
        "sku": product.get("sku"),
        "gtin": product.get("gtin13") or product.get("gtin"),
        "description": product.get("description") or og.get("og:description"),
        "images": [i for i in images if isinstance(i, str)],
    }


def ours(html: bytes, url: str) -> dict[str, Any]:
    from services.common.extraction import NoProductError, extract_product

    try:
        return extract_product(html, url).to_dict()
    except NoProductError:
        return {}


def _count(result: dict[str, Any], expected: dict[str, Any]) -> tuple[int, int]:
    got = right = 0
    for key in FIELDS:
        value, want = result.get(key), expected.get(key)
        if value in (None, [], ""):
            continue
        got += 1
        if key == "images":
            right += bool(want) and list(value)[:1] == list(want or [])[:1]
        else:
            right += value == want
    return got, right


def _median_ms(fn: Any, html: bytes, url: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(html, url)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run_corpus(repeat: int, size: int | None) -> None:
    ours_ms, base_ms = [], []
    ours_got = ours_right = base_got = base_right = 0
    for path, expected in load_corpus():
        html = read_page(path)
        if size:
            html = inflate(html.decode("utf-8", "replace"), size).encode("utf-8")
        url = expected["url"]
        ours_ms.append(_median_ms(ours, html, url, repeat))
        base_ms.append(_median_ms(baseline, html, url, repeat))
        if "error" not in expected:
            g, r = _count(ours(html, url), expected)
            ours_got, ours_right = ours_got + g, ours_right + r
            g, r = _count(baseline(html, url), expected)
            base_got, base_right = base_got + g, base_right + r
    label = f"inflated to ~{size // 1000} KB" if size else "as written"
    o, b = statistics.median(ours_ms), statistics.median(base_ms)
    print(
        f"corpus {label}: {len(ours_ms)} pages, median bytes/page "
        f"{statistics.median(len(read_page(p)) if not size else size for p, _ in load_corpus()):.0f}"
    )
    print(
        f"  ours                 median {o:7.2f} ms/page"
        f"   fields extracted {ours_got:4d}, right {ours_right:4d}"
    )
    print(
        f"  extruct+price-parser median {b:7.2f} ms/page"
        f"   fields extracted {base_got:4d}, right {base_right:4d}"
    )
    print(f"  ratio ours/baseline  {o / b:.2f}x")


# VmHWM (Linux) is this process's own high-water mark; ru_maxrss can carry the parent's
# peak over fork + exec, so it is only the fallback.
_MEMORY_CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from bench.bench_extraction import ours, baseline

def peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

html = open({path!r}, "rb").read()
before = peak_kb()
start = time.perf_counter()
{fn}(html, "https://shop.example.com/p/big")
elapsed = time.perf_counter() - start
print(len(html), before, peak_kb(), elapsed)
"""


def run_memory(megabytes: float) -> None:
    """Peak RSS of a fresh process (imports, page bytes, tree and all) extracting one big page."""
    path, _ = load_corpus()[0]
    html = inflate(read_page(path).decode("utf-8"), int(megabytes * 1_000_000)).encode("utf-8")
    with tempfile.NamedTemporaryFile(suffix=".html") as page:
        page.write(html)
        page.flush()
        for fn in ("ours", "baseline"):
            code = _MEMORY_CHILD.format(root=str(ROOT), path=page.name, fn=fn)
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
            )
            length, before, peak, elapsed = out.stdout.split()
            print(
                f"{fn:<9} {int(length) / 1e6:.1f} MB page: peak RSS {int(peak) / 1024:6.1f} MB "
                f"(after imports and reading the page {int(before) / 1024:.1f} MB), "
                f"{float(elapsed) * 1000:.0f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per page and extractor")
    parser.add_argument("--big-mb", type=float, default=5.0, help="size of the generated page for memory")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, repeat {args.repeat}")
    run_memory(args.big_mb)
    run_corpus(args.repeat, None)
    run_corpus(max(3, args.repeat // 2), 400_000)


if __name__ == "__main__":
    main()
