"""start/continue: an items batch stored in pages (and resumed after a crash), a source
expanded over two slices, and the source failures that fail a batch with BatchFailed."""

from __future__ import annotations

import pytest

from services.batcher.expansion import PAGE_ROWS
from services.batcher.sources import ExpansionLimits
from services.common.errors import DependencyUnavailableError
from tests.unit.batcher.source_fakes import index, urlset
from tests.unit.batcher.worker_world import World

B1 = "b47c4e11-6f0a-4c1e-9a53-1d0c2b7e9f10"
SHOP = "https://shop.example"
XML = "application/xml"


def _request(count: int) -> dict[str, object]:
    """``count`` product pages; the last row repeats the first (a duplicate across pages)."""
    items: list[dict[str, object]] = [{"productUrl": f"{SHOP}/p/{i}", "options": {}} for i in range(1, count)]
    items.append({"productUrl": f"{SHOP.upper()}/p/1", "options": {"formats": ["story"]}})
    items[1]["options"] = {"formats": ["square"]}
    return {"items": items, "defaults": {"formats": ["landscape"], "output": "png"}}


async def test_an_items_batch_is_stored_in_pages_then_runs_and_releases_its_share() -> None:
    """1,200 rows go in pages of 500; the last row shares the first row's job; the batch runs
    and the tenant's 50 in-flight jobs start at once; defaults fill what a row leaves out."""
    world = World()
    await world.create(B1, {"type": "items", "count": 1200}, request=_request(1200))
    await world.action(B1, "start")
    assert world.store.pages == [PAGE_ROWS, PAGE_ROWS, 200]
    head = world.head(B1)
    assert (head.status, head.total, head.duplicates, head.sourceCursor) == ("running", 1200, 1, None)
    rows = world.rows(B1)
    assert [r.row for r in rows] == list(range(1, 1201))
    assert rows[-1].duplicateOf == 1 and rows[-1].jobId == rows[0].jobId
    assert len({r.jobId for r in rows}) == 1199
    assert rows[1].request["formats"] == ["square"] and rows[2].request == {
        "productUrl": f"{SHOP}/p/3", "formats": ["landscape"], "output": "png"}
    assert world.starter.started == [r.jobId for r in rows[:50]]
    assert head.counts["pending"] == 51 and head.counts["queued"] == 1149  # the duplicate moves with row 1


async def test_a_start_delivered_again_after_a_crash_mid_way_stores_each_row_once_with_the_same_jobs() -> None:
    """The second page's write fails (the worker dies); the start comes back: the rows stored
    before stay, the rest follow, none twice, and the duplicate still names row 1's job."""
    clean, crashed = World(), World()
    for world in (clean, crashed):
        await world.create(B1, {"type": "csv", "count": 1200}, request=_request(1200))
    await clean.action(B1, "start")
    crashed.store.fail_on_page = 2
    with pytest.raises(DependencyUnavailableError):
        await crashed.action(B1, "start")
    assert crashed.head(B1).total == PAGE_ROWS and crashed.head(B1).sourceCursor == str(PAGE_ROWS)
    await crashed.action(B1, "start")
    assert crashed.store.pages == [PAGE_ROWS, PAGE_ROWS, 200]
    assert [(r.row, r.jobId, r.duplicateOf) for r in crashed.rows(B1)] == [
        (r.row, r.jobId, r.duplicateOf) for r in clean.rows(B1)]
    assert crashed.head(B1).total == 1200 and crashed.head(B1).status == "running"
    await crashed.action(B1, "start")  # once more, after the batch runs: nothing new is stored
    assert crashed.head(B1).total == 1200 and len(crashed.starter.started) == 50


def _two_sitemaps() -> dict[str, tuple[bytes, str]]:
    first = [f"{SHOP}/products/a{i}" for i in range(300)]
    second = [f"{SHOP}/products/b{i}" for i in range(250)] + [f"{SHOP}/products/a0"]
    return {f"{SHOP}/sitemap.xml": (index([f"{SHOP}/a.xml", f"{SHOP}/b.xml"]), XML),
            f"{SHOP}/a.xml": (urlset(first), XML), f"{SHOP}/b.xml": (urlset(second), XML)}


async def test_a_source_expands_over_two_continue_slices() -> None:
    """Each slice stores what it expanded and sends itself ``continue``; the last one runs the
    batch. Rows continue their numbering and no product comes twice."""
    world = World(_two_sitemaps(), slice_seconds=1e-6)
    await world.create(B1, {"type": "sitemap", "url": f"{SHOP}/sitemap.xml"})
    await world.action(B1, "start")
    assert world.sent_actions() == [(B1, "continue")]
    head = world.head(B1)
    assert (head.status, head.total) == ("expanding", 300) and head.sourceCursor
    await world.action(B1, "continue")
    assert world.sent_actions() == [(B1, "continue")]  # no third slice
    head = world.head(B1)
    assert (head.status, head.total, head.duplicates) == ("running", 550, 0)
    rows = world.rows(B1)
    assert [r.row for r in rows] == list(range(1, 551))
    assert len({r.productUrl for r in rows}) == 550 and rows[300].productUrl == f"{SHOP}/products/b0"
    assert len(world.starter.started) == 50


async def test_a_continue_delivered_twice_stores_nothing_twice() -> None:
    """A ``continue`` that arrives again after the source was finished adds no row."""
    world = World(_two_sitemaps(), slice_seconds=1e-6)
    await world.create(B1, {"type": "sitemap", "url": f"{SHOP}/sitemap.xml"})
    await world.action(B1, "start")
    await world.action(B1, "continue")
    await world.action(B1, "continue")
    assert world.head(B1).total == 550 and world.store.pages == [300, 250]


@pytest.mark.parametrize(("documents", "source", "limits", "code"), [
    ({f"{SHOP}/feed.xml": (b"<rss><channel><item><title>x</title></item></channel></rss>", XML)},
     {"type": "feed", "url": f"{SHOP}/feed.xml"}, None, "source_invalid"),
    ({}, {"type": "sitemap", "url": f"{SHOP}/sitemap.xml", "pattern": "(["}, None, "source_invalid"),
    (_two_sitemaps(), {"type": "sitemap", "url": f"{SHOP}/sitemap.xml"}, ExpansionLimits(max_bytes=2_000),
     "source_too_large"),
    ({f"{SHOP}/sitemap.xml": (urlset([]), XML)}, {"type": "sitemap", "url": f"{SHOP}/sitemap.xml"}, None,
     "source_empty"),
])
async def test_a_source_that_cannot_be_expanded_fails_the_batch_with_batch_failed(
        documents: dict[str, tuple[bytes, str]], source: dict[str, object], limits: ExpansionLimits | None,
        code: str) -> None:
    """A source error, a source past its limits and an empty source each fail the batch once,
    with {"code", "reason"}, and publish one BatchFailed (validated against its schema)."""
    world = World(documents, limits=limits)
    await world.create(B1, source)
    await world.action(B1, "start")
    await world.action(B1, "start")  # delivered again: already failed, nothing more
    head = world.head(B1)
    assert head.status == "failed" and head.error is not None and head.error["code"] == code
    assert head.error["reason"] and head.completedAt
    [(kind, detail)] = world.events()
    assert kind == "BatchFailed" and detail["error"] == head.error and detail["batchId"] == B1
    assert world.starter.started == [] and world.sent_actions() == []


async def test_a_start_that_keeps_failing_fails_the_batch_when_retries_end() -> None:
    """The consumer's last try (on_failure) fails an expanding batch with a public code, not
    an exception's text, and announces it."""
    from services.common.batch_messages import batch_action_body
    from services.common.errors import RetriesExhaustedError
    from tests.unit.batcher.worker_world import message

    world = World()
    await world.create(B1, {"type": "items", "count": 1})  # no request.json stored
    error = RetriesExhaustedError(5, DependencyUnavailableError("s3 said AccessDenied for arn:aws:..."))
    await world.handler.on_failure(message(batch_action_body(B1, "start")), error)
    head = world.head(B1)
    assert head.status == "failed" and head.error is not None and "arn:aws" not in head.error["reason"]
    assert [kind for kind, _ in world.events()] == ["BatchFailed"]


async def test_a_source_failing_in_its_second_slice_cancels_the_rows_it_stored() -> None:
    """The first slice stored 300 rows; the second sitemap answers 404: the batch fails
    and its stored rows (never released) are cancelled, so its counts add up."""
    documents = _two_sitemaps()
    del documents[f"{SHOP}/b.xml"]
    world = World(documents, slice_seconds=1e-6)
    await world.create(B1, {"type": "sitemap", "url": f"{SHOP}/sitemap.xml"})
    await world.action(B1, "start")
    await world.action(B1, "continue")
    head = world.head(B1)
    assert head.status == "failed" and head.error is not None and head.error["code"] == "source_invalid"
    assert (head.total, head.counts["cancelled"], head.counts["queued"]) == (300, 300, 0)
    [(kind, detail)] = world.events()
    assert kind == "BatchFailed" and detail["counts"]["cancelled"] == 300
