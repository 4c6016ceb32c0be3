"""A whole catalog through the pipeline: the sample shop, ``productshot batch`` and the checks.

Shared by tests/integration/test_catalog_batch.py and bench/bench_batch.py, so the benchmark
measures exactly what the test proves. The shop runs in its own process and counts every
request it serves per host (``/_stats``), so politeness is measured where it matters: at the
shop, not in the scraper's own bookkeeping.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from localdev.sample_shop.catalog import BOT_WALL, SCRIPT_PRICE, build_catalog

__all__ = ["ShopProcess", "CatalogRun", "start_shop", "run_cli", "run_catalog", "check_catalog",
           "max_starts_per_second"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class ShopProcess:
    url: str
    proc: subprocess.Popen[bytes]
    products: int

    def stats(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.url}/_stats", timeout=10).json())

    def reset(self) -> None:
        httpx.post(f"{self.url}/_stats/reset", timeout=10).raise_for_status()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_shop(products: int) -> ShopProcess:
    """``python -m localdev.sample_shop`` on a free port; its first line names its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "localdev.sample_shop", "--port", "0", "--products", str(products)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode().strip()
    if not line.startswith("SAMPLE_SHOP_URL="):
        proc.kill()
        raise RuntimeError(f"the sample shop did not start: {line!r}")
    return ShopProcess(line.split("=", 1)[1], proc, products)


@dataclass
class CatalogRun:
    code: int
    stdout: str
    stderr: str
    wall_s: float
    out: Path
    rows: list[dict[str, str]] = field(default_factory=list)


def run_cli(api: str, key: str, out: Path, *args: str, timeout: float) -> CatalogRun:
    """``productshot --json batch ARGS --out OUT`` in its own process, as a person runs it."""
    env = {**os.environ, "PRODUCTSHOT_API": api, "PRODUCTSHOT_KEY": key, "XDG_CONFIG_HOME": str(out / ".xdg")}
    command = [sys.executable, "-m", "services.cli.app", "--json", "batch", *args, "--out", str(out),
               "--interval", "1", "--timeout", f"{timeout:g}"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=timeout + 120)
    wall = time.perf_counter() - started
    run = CatalogRun(done.returncode, done.stdout.decode(), done.stderr.decode(), wall, out)
    results = out / "results.csv"
    if results.exists():
        run.rows = list(csv.DictReader(io.StringIO(results.read_text(encoding="utf-8"))))
    return run


def run_catalog(api: str, key: str, shop: ShopProcess, out: Path, *, max_in_flight: int, rate: float,
                timeout: float, extra: tuple[str, ...] = ()) -> CatalogRun:
    """``productshot batch <shop>/sitemap.xml --pattern /products/ --images`` as a person types it."""
    return run_cli(api, key, out, f"{shop.url}/sitemap.xml", "--pattern", "/products/", "--format", "square",
                   "--images", "--max-in-flight-per-host", str(max_in_flight),
                   "--requests-per-second-per-host", f"{rate:g}", *extra, timeout=timeout)


def max_starts_per_second(timestamps: list[float]) -> int:
    """The most requests started within any one-second window (a sliding window over the starts)."""
    starts = sorted(timestamps)
    best, left = 0, 0
    for right, at in enumerate(starts):
        while at - starts[left] >= 1.0:
            left += 1
        best = max(best, right - left + 1)
    return best


def check_catalog(run: CatalogRun, shop: ShopProcess, *, max_in_flight: int, rate: float) -> dict[str, Any]:
    """Assert what a catalog run promises and return its figures.

    Every product is one row that ended completed or failed with a reason; the failures are
    exactly the shop's unscrapable pages (bot wall, script-drawn price) and say so; every
    completed row shows the price the shop charges; no job ran twice; the ZIP holds every
    image once; the shop never saw more than the batch's pace.
    """
    catalog = build_catalog(shop.products)
    by_handle = {p.handle: p for p in catalog}
    rows = run.rows
    assert len(rows) == shop.products, (len(rows), run.stderr[-2000:])
    assert [int(r["row"]) for r in rows] == list(range(1, shop.products + 1))
    assert len({r["jobId"] for r in rows}) == len(rows), "two rows share a job"
    unscrapable = {catalog[i].handle for i in BOT_WALL | SCRIPT_PRICE if i < len(catalog)}
    failed = {r["productUrl"].rsplit("/", 1)[1]: r for r in rows if r["status"] == "failed"}
    assert set(failed) == unscrapable, sorted(failed)
    # The reason says why: a bot wall (403) is one, a price drawn by a script is another.
    expected = {catalog[i].handle: "bot_wall" for i in BOT_WALL if i < len(catalog)}
    expected |= {catalog[i].handle: "no_price" for i in SCRIPT_PRICE if i < len(catalog)}
    assert {h: r["errorCode"] for h, r in failed.items()} == expected, failed
    assert all("script" in r["error"].lower() for h, r in failed.items() if expected[h] == "no_price"), failed
    completed = [r for r in rows if r["status"] == "completed"]
    assert len(completed) + len(failed) == len(rows), {r["status"] for r in rows}
    wrong_prices = [(r["productUrl"], r["price"]) for r in completed
                    if Decimal(r["price"]) != by_handle[r["productUrl"].rsplit("/", 1)[1]].charged]
    assert wrong_prices == [], wrong_prices[:5]
    keys = [k for r in completed for k in r["images"].split(";") if k]
    assert len(keys) == len(completed) and len(set(keys)) == len(keys)

    with zipfile.ZipFile(run.out / "images.zip") as zf:
        names = zf.namelist()
        images = [n for n in names if n != "results.csv"]
        assert len(images) == len(completed) and len(set(names)) == len(names)
        assert all(zf.read(n)[:3] == b"\xff\xd8\xff" for n in images[:20])

    stats = shop.stats()
    (host,) = [h for h in stats if h.startswith("127.0.0.1")]
    figures = stats[host]
    starts = max_starts_per_second(figures["timestamps"])
    assert figures["peakInFlight"] <= max_in_flight, figures["peakInFlight"]
    # None twice, seen from the shop: every product page was fetched exactly once.
    pages = {path: n for path, n in figures["paths"].items() if path.startswith("/products/")}
    assert len(pages) == shop.products and set(pages.values()) == {1}, sorted(pages.items(), key=lambda kv: -kv[1])[:5]
    # A window's edges can hold one start more than the rate (R starts spaced 1/R apart fit
    # R + 1 in a closed one-second window).
    assert starts <= rate + 1, starts
    return {
        "products": shop.products,
        "completed": len(completed),
        "failed": len(failed),
        "failed_reasons": sorted({r["errorCode"] for r in failed.values()}),
        "wall_s": round(run.wall_s, 1),
        "jobs_per_s": round(len(rows) / run.wall_s, 2),
        "shop_requests": figures["requests"],
        "shop_product_page_requests": sum(pages.values()),
        "shop_peak_in_flight": figures["peakInFlight"],
        "shop_max_starts_in_1s": starts,
        "zip_entries": len(images),
        "zip_bytes": (run.out / "images.zip").stat().st_size,
    }
