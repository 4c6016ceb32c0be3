"""A whole shop's catalogue (the 1,000-product sample shop) through ``productshot batch``.

The CLI expands the shop's sitemap index (gzip product sitemaps, a pages sitemap filtered
out by ``--pattern``) through the API and the batch worker; the scraper, renderer and batch
worker run as they do under ``make up``. The checks are tests/integration/catalog_run.py's
(shared with bench/bench_batch.py): every product ends completed with the shop's own price or
failed with a reason that says why, none twice, the ZIP holds every image once, and the
shop itself never saw more requests at once or per second than the batch asked for.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from localdev.sample_shop.catalog import CURRENCY, build_catalog
from services.cli import exits
from tests.integration.api.conftest import KEY
from tests.integration.catalog_run import ShopProcess, check_catalog, run_catalog, run_cli, start_shop
from tests.integration.conftest import Services, log_dir_for, purge_queues, service_env, start_services

pytestmark = pytest.mark.integration

PRODUCTS = 1000
MAX_IN_FLIGHT, RATE = 4, 25.0


@pytest.fixture(scope="module")
def shop() -> Iterator[ShopProcess]:
    process = start_shop(PRODUCTS)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def catalog_stack(aws_env: dict[str, str], boto: Any, tmp_path_factory: pytest.TempPathFactory,
                  request: pytest.FixtureRequest) -> Iterator[Services]:
    """API, scraper, renderer and batch worker with the scraper's production pace (2 at once,
    1 per second per shop) and a ceiling a batch may ask for (4 at once, 25 per second)."""
    purge_queues(boto.sqs)
    env = service_env(
        aws_env, tmp_path_factory.mktemp("catalog"),
        SCRAPER_HOST_MAX_IN_FLIGHT="2", SCRAPER_HOST_REQUESTS_PER_SECOND="1",
        SCRAPER_HOST_MAX_IN_FLIGHT_LIMIT=str(MAX_IN_FLIGHT), SCRAPER_HOST_REQUESTS_PER_SECOND_LIMIT=f"{RATE:g}",
        API_BATCH_MAX_IN_FLIGHT_PER_HOST=str(MAX_IN_FLIGHT), API_BATCH_MAX_REQUESTS_PER_SECOND_PER_HOST=f"{RATE:g}",
        BATCH_MAX_IN_FLIGHT_PER_TENANT="200",
    )
    services = start_services(env, log_dir_for(request), names=("api", "scraper", "renderer", "batcher"))
    yield services
    for name in list(services.procs):
        services.stop(name)


def test_a_thousand_product_catalog_runs_politely_to_the_end(
    catalog_stack: Services, shop: ShopProcess, tmp_path: Path
) -> None:
    """1,000 products: 998 completed at the shop's price, the bot wall and the script-drawn
    price failed with their reasons, results.csv and images.zip complete, the pace kept."""
    shop.reset()
    run = run_catalog(catalog_stack.api, KEY, shop, tmp_path / "run", max_in_flight=MAX_IN_FLIGHT, rate=RATE,
                      timeout=900)
    assert run.code == exits.PARTIAL, (run.code, run.stderr[-3000:])  # two failed rows: exit 5, not 0
    final = json.loads(run.stdout.splitlines()[-1])
    assert final["status"] == "completed" and final["total"] == PRODUCTS
    figures = check_catalog(run, shop, max_in_flight=MAX_IN_FLIGHT, rate=RATE)
    print(json.dumps(figures))


def test_a_merchant_feed_becomes_product_facts_that_complete_at_the_feeds_prices(
    catalog_stack: Services, shop: ShopProcess, tmp_path: Path
) -> None:
    """The shop's Merchant Center feed (first 20 entries): each complete entry is product facts
    (no page is scraped, so even the bot-walled product completes) at the feed's price."""
    run = run_cli(catalog_stack.api, KEY, tmp_path / "feed", f"{shop.url}/feed.xml", "--source-type", "feed",
                  "--max-items", "20", "--format", "square", timeout=300)
    assert run.code == exits.OK, (run.code, run.stderr[-3000:])
    catalog = build_catalog(20)
    assert [r["status"] for r in run.rows] == ["completed"] * 20
    assert [(r["name"], Decimal(r["price"]), r["currency"]) for r in run.rows] == [
        (p.name, p.charged, CURRENCY) for p in catalog]
    assert all(r["productUrl"] == "" and r["images"] for r in run.rows)


def test_failed_rows_filled_in_and_the_results_csv_sent_back_run_as_facts(
    catalog_stack: Services, shop: ShopProcess, tmp_path: Path
) -> None:
    """A sitemap run of 20 pages leaves the bot wall and the script-drawn price failed; a person
    types their facts into results.csv and sends the whole file back: only those two rows run,
    as product facts, and their images carry the typed prices."""
    first = run_cli(catalog_stack.api, KEY, tmp_path / "first", f"{shop.url}/sitemap.xml", "--pattern", "/products/",
                    "--max-items", "20", "--format", "square", timeout=300)
    assert first.code == exits.PARTIAL, (first.code, first.stderr[-3000:])
    catalog = {p.handle: p for p in build_catalog(20)}
    failed = [r for r in first.rows if r["status"] == "failed"]
    assert sorted(r["errorCode"] for r in failed) == ["bot_wall", "no_price"], failed
    with (tmp_path / "first" / "results.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["status"] == "failed":
            product = catalog[row["productUrl"].rsplit("/", 1)[1]]
            row.update(name=product.name, price=str(product.charged), currency=CURRENCY,
                       imageUrl=f"{shop.url}/images/{product.image}")
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    again = run_cli(catalog_stack.api, KEY, tmp_path / "again", str(fixed), "--format", "square", timeout=300)
    assert again.code == exits.OK, (again.code, again.stderr[-3000:])
    assert [(r["status"], r["name"], r["price"]) for r in again.rows] == [
        ("completed", r["name"], r["price"]) for r in rows if r["status"] == "failed"]
    assert all(r["images"] for r in again.rows)
