"""A whole catalogue on the local stack: the 1,000-product sample shop through ``productshot batch``.

    .venv/bin/python bench/bench_batch.py [--products 1000] [--max-in-flight 4] [--rate 25]

Starts the local AWS (unless running), the sample shop in its own process, and the API,
scraper, renderer and batch worker as ``make up`` does, with the scraper's production pace
per shop (2 at once, 1 per second) and a ceiling a batch may ask for (``--max-in-flight``,
``--rate``). Then runs ``productshot batch <shop>/sitemap.xml --pattern /products/ --images``
and prints the wall time from the command's start to results.csv and images.zip on disk,
jobs/s, and what the shop itself counted: requests, peak in flight and most starts in any
one second. The run is checked as the integration test checks it
(tests/integration/catalog_run.py) before a figure is printed.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from stack import RUN_DIR, bench_stack  # type: ignore[import-not-found]

from tests.integration.catalog_run import check_catalog, run_catalog, start_shop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--max-in-flight", type=int, default=4, help="the batch's requests at once per shop")
    parser.add_argument("--rate", type=float, default=25.0, help="the batch's requests per second per shop")
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    shop = start_shop(args.products)
    try:
        with bench_stack() as bench:
            services = bench.start(
                ("api", "scraper", "renderer", "batcher"),
                SCRAPER_HOST_MAX_IN_FLIGHT="2", SCRAPER_HOST_REQUESTS_PER_SECOND="1",
                SCRAPER_HOST_MAX_IN_FLIGHT_LIMIT=str(args.max_in_flight),
                SCRAPER_HOST_REQUESTS_PER_SECOND_LIMIT=f"{args.rate:g}",
                API_BATCH_MAX_IN_FLIGHT_PER_HOST=str(args.max_in_flight),
                API_BATCH_MAX_REQUESTS_PER_SECOND_PER_HOST=f"{args.rate:g}",
                BATCH_MAX_IN_FLIGHT_PER_TENANT="200",
            )
            out = Path(tempfile.mkdtemp(prefix="bench-batch-"))
            run = run_catalog(services.api, "bench-key", shop, out, max_in_flight=args.max_in_flight,
                              rate=args.rate, timeout=args.timeout)
            if not run.rows:
                raise SystemExit(f"the batch did not finish (exit {run.code}):\n{run.stderr[-3000:]}")
            figures = check_catalog(run, shop, max_in_flight=args.max_in_flight, rate=args.rate)
            figures.update({"batch_max_in_flight_per_host": args.max_in_flight,
                            "batch_requests_per_second_per_host": args.rate, "cli_exit": run.code})
            print(json.dumps(figures, indent=2))
            (RUN_DIR / "bench-batch.json").write_text(json.dumps(figures, indent=2))
    finally:
        shop.stop()


if __name__ == "__main__":
    main()
