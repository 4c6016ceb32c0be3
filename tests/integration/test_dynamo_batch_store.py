"""The batch store on the local DynamoDB: the BatchStore contract, plus what only the table shows
(index attributes, TTL numbers, pages over one transaction, racing writers)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.common.adapters.dynamo_batch_store import ROWS_PER_TRANSACTION, DynamoBatchStore
from services.common.aws import AwsClients, aws_clients
from services.common.batch import Batch, plan_items
from services.common.job import epoch_seconds
from services.common.settings import CommonSettings
from tests.contracts.batch_store_contract import BatchStoreContract

pytestmark = pytest.mark.integration


class RecordingClient:
    """The real client, with a note of each operation called (to show what a method reads)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr) or name.startswith("_") or name in {"get_waiter", "get_paginator"}:
            return attr

        async def call(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return await attr(**kwargs)

        return call


@pytest.fixture
async def aws(aws_env: dict[str, str]) -> AsyncIterator[AwsClients]:
    async with aws_clients(aws_env["AWS_REGION"], "dynamodb") as clients:
        yield clients


@pytest.fixture
def table(aws_env: dict[str, str]) -> str:
    return CommonSettings().batches_table


class TestDynamoBatchStore(BatchStoreContract):
    @pytest.fixture
    def store(self, aws: AwsClients, table: str) -> DynamoBatchStore:
        return DynamoBatchStore(aws.dynamodb, table)


def _batch() -> Batch:
    return Batch(str(uuid.uuid4()), f"t-{uuid.uuid4().hex[:8]}", "running", "2026-01-01T00:00:00.000Z",
                 "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z")


def _urls(n: int) -> list[dict[str, str]]:
    return [{"productUrl": f"https://shop.example/p/{i}"} for i in range(n)]


@pytest.fixture
def recording(aws: AwsClients) -> RecordingClient:
    return RecordingClient(aws.dynamodb)


@pytest.fixture
def store(recording: RecordingClient, table: str) -> DynamoBatchStore:
    return DynamoBatchStore(recording, table)  # type: ignore[arg-type]


async def test_next_queued_queries_the_queued_rows_index_and_moved_rows_leave_it(
    store: DynamoBatchStore, recording: RecordingClient, boto: Any, table: str
) -> None:
    """Only queued, non-duplicate rows carry queuedIn; a move out of queued removes it; next_queued is one query."""
    batch = _batch()
    await store.create(batch)
    items = plan_items(batch.batchId, [*_urls(3), {"productUrl": "https://shop.example/p/0"}], {})
    await store.add_items(batch.batchId, items, source_cursor=None)

    def queued_in(row: int) -> str | None:
        item = boto.dynamodb.get_item(TableName=table, Key={"batchId": {"S": batch.batchId},
                                                            "sk": {"S": items[row - 1].key}})["Item"]
        return item.get("queuedIn", {}).get("S")

    assert [queued_in(r) for r in (1, 2, 3, 4)] == [batch.batchId] * 3 + [None]  # row 4 duplicates row 1
    assert await store.move_item(batch.batchId, 2, from_="queued", from_attempt=0, to="pending", attempt=1)
    assert queued_in(2) is None
    recording.calls.clear()
    assert [i.row for i in await store.next_queued(batch.batchId, limit=10)] == [1, 3]
    assert [(op, kw.get("IndexName")) for op, kw in recording.calls] == [("query", "queued-rows")]


async def test_a_repeated_or_raced_move_counts_once(store: DynamoBatchStore) -> None:
    """Eight workers make the same move at once: one wins; a later repeat is refused; the counts moved by one."""
    batch = _batch()
    await store.create(batch)
    await store.add_items(batch.batchId, plan_items(batch.batchId, _urls(2), {}), source_cursor=None)
    won = await asyncio.gather(*(store.move_item(batch.batchId, 1, from_="queued", from_attempt=0, to="pending",
                                                 attempt=1) for _ in range(8)))
    assert sorted(won) == [False] * 7 + [True]
    assert not await store.move_item(batch.batchId, 1, from_="queued", from_attempt=0, to="pending", attempt=1)
    head = await store.get(batch.batchId)
    assert head is not None and (head.counts["queued"], head.counts["pending"]) == (1, 1)


async def test_a_page_over_several_transactions_stored_again_and_twice_at_once_counts_each_row_once(
    recording: RecordingClient, table: str
) -> None:
    """A page of 30 rows in transactions of 7 (the row limit made small: moto copies the table for
    every operation of a transaction), after a crash stored part of it, then by two writers at once."""
    store = DynamoBatchStore(recording, table, rows_per_transaction=7)  # type: ignore[arg-type]
    batch = _batch()
    await store.create(batch)
    items = plan_items(batch.batchId, [*_urls(25), *_urls(5)], {})  # the last 5 duplicate rows 1..5
    await store.add_items(batch.batchId, items[:11], source_cursor=None)  # the first try stopped here
    recording.calls.clear()
    await asyncio.gather(store.add_items(batch.batchId, items, source_cursor="next"),
                         store.add_items(batch.batchId, items, source_cursor="next"))
    assert all(len(kw["TransactItems"]) <= 8 for op, kw in recording.calls if op == "transact_write_items")
    head = await store.get(batch.batchId)
    assert head is not None
    assert (head.total, head.duplicates, head.counts["queued"], head.sourceCursor) == (30, 5, 30, "next")
    rows, cursor = [], None
    while True:
        page = await store.items(batch.batchId, limit=8, cursor=cursor)
        rows.extend(page.items)
        if not (cursor := page.cursor):
            break
    assert [r.row for r in rows] == list(range(1, 31))
    assert len(await store.next_queued(batch.batchId, limit=100)) == 25


def test_a_transaction_holds_the_rows_and_the_head_within_dynamodbs_limit_of_100() -> None:
    assert ROWS_PER_TRANSACTION + 1 == 100
    with pytest.raises(ValueError):
        DynamoBatchStore(None, "t", rows_per_transaction=100)  # type: ignore[arg-type]


async def test_heads_and_rows_carry_the_ttl_number_the_table_expires_on(
    store: DynamoBatchStore, boto: Any, table: str
) -> None:
    """expiresAtEpoch (seconds) sits beside the ISO expiresAt on the head and every row; it is the table's TTL."""
    batch = _batch()
    await store.create(batch)
    await store.add_items(batch.batchId, plan_items(batch.batchId, _urls(1), {}), source_cursor=None)
    ttl = boto.dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expiresAtEpoch"
    stored = boto.dynamodb.query(TableName=table, KeyConditionExpression="batchId = :b",
                                 ExpressionAttributeValues={":b": {"S": batch.batchId}})["Items"]
    assert len(stored) == 2
    for item in stored:
        assert item["expiresAt"] == {"S": batch.expiresAt}
        assert item["expiresAtEpoch"] == {"N": str(epoch_seconds(batch.expiresAt))}
    assert "tenant" not in next(i for i in stored if i["sk"]["S"] != "#batch")  # the tenant index stays sparse


async def test_a_cursor_of_another_listing_is_refused(store: DynamoBatchStore) -> None:
    """A tenant's cursor cannot page another tenant's batches, nor a batch's cursor another batch's rows."""
    first, second = _batch(), _batch()
    for batch in (first, second):
        await store.create(batch)
        await store.add_items(batch.batchId, plan_items(batch.batchId, _urls(3), {}), source_cursor=None)
    page = await store.items(first.batchId, limit=1, cursor=None)
    assert page.cursor is not None
    with pytest.raises(ValueError):
        await store.items(second.batchId, limit=1, cursor=page.cursor)
    await store.create(Batch(str(uuid.uuid4()), first.tenant, "running", "2026-01-03T00:00:00.000Z",
                             "2026-01-03T00:00:00.000Z", "2026-01-04T00:00:00.000Z"))
    listing = await store.list_for_tenant(first.tenant, limit=1, cursor=None)
    assert listing.cursor is not None
    with pytest.raises(ValueError):
        await store.list_for_tenant(second.tenant, limit=1, cursor=listing.cursor)
    with pytest.raises(ValueError):
        await store.items(first.batchId, limit=1, cursor="not-a-cursor")
