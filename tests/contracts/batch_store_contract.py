"""The BatchStore contract: heads and rows, paging, conditional row moves with their counts,
conditional status moves. Run on the fake now; the DynamoDB adapter must pass it too."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from services.common.batch import Batch, plan_items
from services.common.batch_store import BatchStore
from services.common.errors import ProductshotError

__all__ = ["BatchStoreContract"]


def new_batch(tenant: str, created: str = "2026-01-01T00:00:00.000Z") -> Batch:
    return Batch(str(uuid.uuid4()), tenant, "running", created, created, "2026-01-31T00:00:00.000Z",
                 metadata={"campaign": "spring"})


def _urls(n: int) -> list[dict[str, str]]:
    return [{"productUrl": f"https://shop.example/p/{i}"} for i in range(n)]


class BatchStoreContract:
    @pytest.fixture
    def store(self) -> BatchStore:
        raise NotImplementedError  # the subclass gives the fake or the adapter

    async def test_a_batch_and_its_rows_read_back_and_rows_page_in_order(self, store: BatchStore) -> None:
        """Head fields, totals, duplicates and queued count come back; rows page by row number."""
        batch = new_batch(f"t-{uuid.uuid4().hex[:8]}")
        await store.create(batch)
        items = plan_items(batch.batchId, [*_urls(5), {"productUrl": "https://SHOP.example/p/0"}], {})
        await store.add_items(batch.batchId, items[:3], source_cursor="page-1")
        await store.add_items(batch.batchId, items[3:], source_cursor=None)
        await store.add_items(batch.batchId, items[3:], source_cursor=None)  # a page stored again
        head = await store.get(batch.batchId)
        assert head is not None and head.metadata == {"campaign": "spring"}
        assert (head.total, head.duplicates, head.counts["queued"]) == (6, 1, 6)
        first = await store.items(batch.batchId, limit=4, cursor=None)
        assert [i.row for i in first.items] == [1, 2, 3, 4] and first.cursor is not None
        rest = await store.items(batch.batchId, limit=4, cursor=first.cursor)
        assert [i.row for i in rest.items] == [5, 6] and rest.cursor is None
        assert rest.items[1].duplicateOf == 1
        assert await store.get(str(uuid.uuid4())) is None

    async def test_a_batch_id_is_never_overwritten(self, store: BatchStore) -> None:
        """Creating a batch id twice is refused."""
        batch = new_batch("t1")
        await store.create(batch)
        with pytest.raises(ProductshotError):
            await store.create(batch)

    async def test_a_row_moves_only_from_the_state_it_shows_and_moves_the_counts(self, store: BatchStore) -> None:
        """The first move wins; the same move again is refused and the counts stay exact."""
        batch = new_batch("t1")
        await store.create(batch)
        items = plan_items(batch.batchId, _urls(2), {})
        await store.add_items(batch.batchId, items, source_cursor=None)
        assert await store.move_item(batch.batchId, 1, from_="queued", from_attempt=0, to="pending", attempt=1)
        assert not await store.move_item(batch.batchId, 1, from_="queued", from_attempt=0, to="pending", attempt=1)
        assert await store.move_item(batch.batchId, 1, from_="pending", from_attempt=1, to="failed", attempt=1,
                                     fields={"errorCode": "not_a_product_page", "error": "no product here"})
        head = await store.get(batch.batchId)
        assert head is not None and (head.counts["queued"], head.counts["pending"], head.counts["failed"]) == (1, 0, 1)
        (row,) = await store.items_for_job(batch.batchId, items[0].jobId)
        assert (row.status, row.attempt, row.errorCode) == ("failed", 1, "not_a_product_page")
        assert [i.row for i in await store.next_queued(batch.batchId, limit=10)] == [2]
        now = await store.get_item(batch.batchId, 1)  # read as it is now, not through an index
        assert now is not None and (now.status, now.errorCode, now.jobId) == ("failed", "not_a_product_page",
                                                                              items[0].jobId)
        assert await store.get_item(batch.batchId, 99) is None

    async def test_status_moves_only_from_the_allowed_states(self, store: BatchStore) -> None:
        """A terminal move happens once: the second is refused."""
        batch = new_batch("t1")
        await store.create(batch)
        assert await store.set_status(batch.batchId, to="completed", from_=frozenset({"running"}),
                                      fields={"completedAt": "2026-01-02T00:00:00.000Z"})
        assert not await store.set_status(batch.batchId, to="completed", from_=frozenset({"running"}))
        head = await store.get(batch.batchId)
        assert head is not None and head.status == "completed" and head.completedAt == "2026-01-02T00:00:00.000Z"

    async def test_a_tenants_batches_list_newest_first_filtered_by_status(self, store: BatchStore) -> None:
        """Listing is per tenant, newest first, paged, and may keep one status."""
        tenant = f"t-{uuid.uuid4().hex[:8]}"
        old, new = new_batch(tenant, "2026-01-01T00:00:00.000Z"), new_batch(tenant, "2026-01-02T00:00:00.000Z")
        for batch in (old, new, new_batch("someone-else")):
            await store.create(batch)
        await store.set_status(old.batchId, to="completed", from_=frozenset({"running"}))
        page = await store.list_for_tenant(tenant, limit=1, cursor=None)
        assert [b.batchId for b in page.batches] == [new.batchId] and page.cursor is not None
        rest = await store.list_for_tenant(tenant, limit=1, cursor=page.cursor)
        assert [b.batchId for b in rest.batches] == [old.batchId]
        running = await store.list_for_tenant(tenant, limit=10, cursor=None, status="running")
        assert [b.batchId for b in running.batches] == [new.batchId]

    async def test_stalled_batches_are_running_with_queued_rows_and_an_old_head(self, store: BatchStore) -> None:
        """find_stalled answers running batches with queued rows unchanged since the time given;
        a nudge counts once per head state and a row move starts the count again."""
        stalled, done, finished = new_batch("t1"), new_batch("t1"), new_batch("t1")
        for batch in (stalled, done, finished):
            await store.create(batch)
            await store.add_items(batch.batchId, plan_items(batch.batchId, _urls(2), {}), source_cursor=None)
        for row in (1, 2):  # nothing queued any more
            assert await store.move_item(done.batchId, row, from_="queued", from_attempt=0, to="pending", attempt=1)
        assert await store.set_status(finished.batchId, to="cancelled", from_=frozenset({"running"}))
        found = {b.batchId: b for b in await store.find_stalled(older_than="2999-01-01T00:00:00.000Z", limit=10_000)}
        assert stalled.batchId in found and not {done.batchId, finished.batchId} & set(found)
        assert stalled.batchId not in {b.batchId for b in await store.find_stalled(
            older_than="2000-01-01T00:00:00.000Z", limit=10_000)}  # changed since then
        head = found[stalled.batchId]
        await asyncio.sleep(0.005)  # updatedAt has milliseconds: each write below gives a new one
        assert await store.note_release_nudge(stalled.batchId, updated_at=head.updatedAt) == 1
        assert await store.note_release_nudge(stalled.batchId, updated_at=head.updatedAt) is None  # it changed
        again = await store.get(stalled.batchId)
        assert again is not None and again.updatedAt > head.updatedAt
        await asyncio.sleep(0.005)
        assert await store.note_release_nudge(stalled.batchId, updated_at=again.updatedAt) == 2
        await asyncio.sleep(0.005)
        assert await store.move_item(stalled.batchId, 1, from_="queued", from_attempt=0, to="pending", attempt=1)
        moved = await store.get(stalled.batchId)
        await asyncio.sleep(0.005)
        assert moved is not None and await store.note_release_nudge(stalled.batchId, updated_at=moved.updatedAt) == 1
        assert await store.note_release_nudge(finished.batchId, updated_at="2026-01-01T00:00:00.000Z") is None
