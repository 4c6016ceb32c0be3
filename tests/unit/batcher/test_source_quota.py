"""A source batch's expanded jobs count against the tenant's daily quota (services/batcher/metering.py),
on the same counter bucket as the API's, once per page however often a page is replayed."""

from __future__ import annotations

import time

import pytest

from services.common.errors import DependencyUnavailableError
from tests.fakes import InMemoryWindowCounter
from tests.unit.batcher.source_fakes import index, urlset
from tests.unit.batcher.worker_world import World

B1 = "0c6f1d3e-2a4b-4c8d-9e7f-5a1b2c3d4e5f"
SHOP = "https://shop.example"
XML = "application/xml"
SITEMAP = {"type": "sitemap", "url": f"{SHOP}/sitemap.xml"}
DAY = 86_400


def _one_sitemap(count: int, *, also: list[str] | None = None) -> dict[str, tuple[bytes, str]]:
    urls = [f"{SHOP}/products/p{i}" for i in range(count)] + (also or [])
    return {f"{SHOP}/sitemap.xml": (urlset(urls), XML)}


def _two_sitemaps() -> dict[str, tuple[bytes, str]]:
    """Two pages: 300 products, then 250."""
    first = [f"{SHOP}/products/a{i}" for i in range(300)]
    second = [f"{SHOP}/products/b{i}" for i in range(250)]
    return {f"{SHOP}/sitemap.xml": (index([f"{SHOP}/a.xml", f"{SHOP}/b.xml"]), XML),
            f"{SHOP}/a.xml": (urlset(first), XML), f"{SHOP}/b.xml": (urlset(second), XML)}


def _used(counter: InMemoryWindowCounter, tenant: str = "acme") -> int:
    """What the tenant's daily bucket holds today (the API's limiter reads the same)."""
    now = time.time()
    return counter.counts.get((f"jobs:{tenant}", DAY, int(now // DAY) * DAY), 0)


async def _use(counter: InMemoryWindowCounter, jobs: int, quota: int) -> None:
    """Jobs the tenant's API calls counted today."""
    assert await counter.hit("jobs:acme", limit=quota, window_seconds=DAY, now=time.time(), cost=jobs) == 0.0


async def test_a_source_past_what_is_left_of_the_quota_keeps_what_fits_and_says_so() -> None:
    """4 of 10 jobs used today: a sitemap of 25 products stores 6 rows, stops, runs them and
    says why on the head; the bucket is full (the API refuses the next job)."""
    counter = InMemoryWindowCounter()
    await _use(counter, 4, 10)
    world = World(_one_sitemap(25), counter=counter)
    await world.create(B1, SITEMAP, jobsPerDay=10)
    await world.action(B1, "start")
    head = world.head(B1)
    assert (head.status, head.total, head.sourceCursor) == ("running", 6, None)
    assert head.sourceNote == ("The daily quota of 10 jobs was reached after 6 of this source's products; "
                               "the rest were not added. It resets at 00:00 UTC.")
    assert [r.productUrl for r in world.rows(B1)] == [f"{SHOP}/products/p{i}" for i in range(6)]
    assert _used(counter) == 10 and len(world.starter.started) == 6
    assert await counter.hit("jobs:acme", limit=10, window_seconds=DAY, now=time.time()) > 0


async def test_a_later_page_is_cut_where_the_quota_runs_out() -> None:
    """Quota 400: the first page (300) fits whole, the second keeps 100 of its 250."""
    counter = InMemoryWindowCounter()
    world = World(_two_sitemaps(), counter=counter)
    await world.create(B1, SITEMAP, jobsPerDay=400)
    await world.action(B1, "start")
    head = world.head(B1)
    assert (head.status, head.total) == ("running", 400) and world.store.pages == [300, 100]
    assert head.sourceNote is not None and "after 400 of this source's products" in head.sourceNote
    assert world.rows(B1)[-1].productUrl == f"{SHOP}/products/b99" and _used(counter) == 400


async def test_nothing_fits_fails_the_batch_with_batch_failed() -> None:
    """The day's quota is used up: no row, the batch fails (quota_exceeded) once, one BatchFailed."""
    counter = InMemoryWindowCounter()
    await _use(counter, 5, 5)
    world = World(_one_sitemap(3), counter=counter)
    await world.create(B1, SITEMAP, jobsPerDay=5)
    await world.action(B1, "start")
    await world.action(B1, "start")  # delivered again: failed already
    head = world.head(B1)
    assert head.status == "failed" and head.total == 0 and head.error is not None
    assert head.error["code"] == "quota_exceeded" and "daily quota of 5 jobs is used up" in head.error["reason"]
    [(kind, detail)] = world.events()
    assert kind == "BatchFailed" and detail["error"] == head.error
    assert world.starter.started == [] and _used(counter) == 5


@pytest.mark.parametrize("quota", [0, None])
async def test_a_batch_without_a_quota_stores_every_row_and_counts_nothing(quota: int | None) -> None:
    """0: the tenant has no daily quota; None: a batch made before sources were counted."""
    counter = InMemoryWindowCounter()
    world = World(_two_sitemaps(), counter=counter)
    await world.create(B1, SITEMAP, jobsPerDay=quota)
    await world.action(B1, "start")
    head = world.head(B1)
    assert (head.status, head.total, head.sourceNote) == ("running", 550, None)
    assert counter.calls == 0


async def test_duplicates_share_their_first_rows_job_and_cost_nothing() -> None:
    """5 products and 2 rows naming them again (another host spelling): 5 jobs fill a quota of 5
    and all 7 rows are stored, with no note."""
    counter = InMemoryWindowCounter()
    again = [f"https://SHOP.example/products/p{i}" for i in (0, 3)]
    world = World(_one_sitemap(5, also=again), counter=counter)
    await world.create(B1, SITEMAP, jobsPerDay=5)
    await world.action(B1, "start")
    head = world.head(B1)
    assert (head.status, head.total, head.duplicates, head.sourceNote) == ("running", 7, 2, None)
    assert _used(counter) == 5


async def test_a_page_replayed_after_a_crash_is_counted_once() -> None:
    """The second page is counted, then its write fails; the message comes back: the page is
    answered from its first count (551 jobs counted, not 802) and stored once."""
    counter = InMemoryWindowCounter()
    world = World(_two_sitemaps(), counter=counter)
    await world.create(B1, SITEMAP, jobsPerDay=1000)
    world.store.fail_on_page = 2
    with pytest.raises(DependencyUnavailableError):
        await world.action(B1, "start")
    assert _used(counter) == 550 and world.head(B1).total == 300
    await world.action(B1, "start")
    head = world.head(B1)
    assert (head.status, head.total, head.sourceNote) == ("running", 550, None) and _used(counter) == 550


async def test_a_cut_page_replayed_after_a_crash_keeps_the_same_rows_and_count() -> None:
    """Quota 400: the cut page's note is written, its rows are not (crash); the replay keeps the
    same 100 rows of it, counts nothing more and the note stays."""
    counter = InMemoryWindowCounter()
    world = World(_two_sitemaps(), counter=counter)
    await world.create(B1, SITEMAP, jobsPerDay=400)
    world.store.fail_on_page = 2
    with pytest.raises(DependencyUnavailableError):
        await world.action(B1, "start")
    assert world.head(B1).sourceNote and world.head(B1).status == "expanding"
    await world.action(B1, "start")
    head = world.head(B1)
    assert (head.status, head.total) == ("running", 400) and _used(counter) == 400
    assert head.sourceNote is not None and "after 400" in head.sourceNote


async def test_rows_stored_without_their_cursor_are_numbered_the_same_again() -> None:
    """A run dies after the second page's rows but before its cursor: the replay numbers that
    page from the cursor (rows 301..), so no row, job or count is added twice."""
    counter = InMemoryWindowCounter()
    world = World(_two_sitemaps(), counter=counter)
    await world.create(B1, SITEMAP, jobsPerDay=1000)
    world.store.lose_cursor_on_page = 2
    with pytest.raises(DependencyUnavailableError):
        await world.action(B1, "start")
    assert world.head(B1).total == 550 and world.head(B1).sourceCursor is not None
    await world.action(B1, "start")
    head = world.head(B1)
    assert (head.status, head.total, head.sourceCursor) == ("running", 550, None)
    assert [r.row for r in world.rows(B1)] == list(range(1, 551)) and _used(counter) == 550


async def test_a_counter_outage_stores_nothing_unmetered() -> None:
    """The counter cannot answer: the message fails (to be retried), no row is stored, the batch
    keeps expanding; once it answers, the batch goes on."""
    counter = InMemoryWindowCounter()
    counter.down = True
    world = World(_one_sitemap(3), counter=counter)
    await world.create(B1, SITEMAP, jobsPerDay=10)
    with pytest.raises(DependencyUnavailableError):
        await world.action(B1, "start")
    assert (world.head(B1).status, world.head(B1).total) == ("expanding", 0)
    counter.down = False
    await world.action(B1, "start")
    assert (world.head(B1).status, world.head(B1).total) == ("running", 3) and _used(counter) == 3
