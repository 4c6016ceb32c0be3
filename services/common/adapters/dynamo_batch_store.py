"""The BatchStore port on the batches table (aiobotocore client passed in; layout in dynamo_batch_codec.py).

Counts stay exact because a row and the head's counts change in one transaction:
``add_items`` writes rows only where none exists (a page stored again, or by two workers
at once, counts each row once) and ``move_item`` writes the row only if it still shows the
expected (status, attempt). A refused create is ``StoreConditionFailedError``; any other
failure ``DependencyUnavailableError``. A cursor that is not one of this store's is ``ValueError``.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import TYPE_CHECKING, Any

from services.common.adapters.aws_errors import translated
from services.common.adapters.dynamo_batch_codec import (
    BATCH_FIELDS,
    EXPIRES_EPOCH,
    ITEM_FIELDS,
    QUEUED_IN,
    Cancelled,
    batch_from,
    decode_cursor,
    encode_cursor,
    head_item,
    item_from,
    row_item,
    stored_rows,
    transact,
)
from services.common.adapters.dynamo_batch_sweep import RELEASE_NUDGES, find_stalled, note_release_nudge
from services.common.adapters.dynamo_codec import to_attr
from services.common.batch import HEAD_KEY, Batch, BatchItem, ItemStatus, item_key
from services.common.batch_store import BatchPage, ItemPage
from services.common.errors import DependencyUnavailableError, StoreConditionFailedError
from services.common.job import epoch_seconds, utc_now_iso

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb.client import DynamoDBClient

__all__ = ["DynamoBatchStore"]

#: Rows per transaction: DynamoDB takes 100 operations in one, and the head's update is one of them.
ROWS_PER_TRANSACTION = 99
#: Tries of a transaction another writer keeps colliding with before the store gives up (transient).
_CONFLICT_TRIES = 5
_CONDITION = {"ConditionalCheckFailedException": StoreConditionFailedError}


class DynamoBatchStore:
    """The BatchStore adapter on a DynamoDB table keyed (batchId, sk)."""

    def __init__(self, dynamodb: DynamoDBClient, table_name: str, *, tenant_index: str = "tenant-createdAt",
                 job_index: str = "job-items", queued_index: str = "queued-rows",
                 rows_per_transaction: int = ROWS_PER_TRANSACTION) -> None:
        if not 1 <= rows_per_transaction <= ROWS_PER_TRANSACTION:
            raise ValueError(f"rows_per_transaction must be 1..{ROWS_PER_TRANSACTION}")
        self._db = dynamodb
        self._rows_per_transaction = rows_per_transaction
        self._table = table_name
        self._tenant_index = tenant_index
        self._job_index = job_index
        self._queued_index = queued_index

    async def check(self) -> None:
        with translated("batch store"):
            await self._db.describe_table(TableName=self._table)

    async def _call(self, op: str, **kwargs: Any) -> dict[str, Any]:
        with translated("batch store", _CONDITION):
            result: dict[str, Any] = await getattr(self._db, op)(TableName=self._table, **kwargs)
        return result

    def _key(self, batch_id: str, sk: str) -> dict[str, Any]:
        return {"batchId": {"S": batch_id}, "sk": {"S": sk}}

    async def create(self, batch: Batch) -> None:
        await self._call("put_item", Item=head_item(batch), ConditionExpression="attribute_not_exists(batchId)")

    async def get(self, batch_id: str) -> Batch | None:
        result = await self._call("get_item", Key=self._key(batch_id, HEAD_KEY), ConsistentRead=True)
        item = result.get("Item")
        return batch_from(item) if item else None

    async def add_items(self, batch_id: str, items: list[BatchItem], *, source_cursor: str | None) -> None:
        head = await self.get(batch_id)
        if head is None:
            raise StoreConditionFailedError(f"batch store: batch {batch_id} does not exist")
        unique = {item.row: item for item in items}
        stored = await stored_rows(self._db, self._table, batch_id, sorted(unique))
        new = [item for row, item in sorted(unique.items()) if row not in stored]
        size = self._rows_per_transaction
        for start in range(0, len(new), size):
            await self._add_chunk(batch_id, new[start:start + size], head.expiresAt)
        cursor_update = ("SET sourceCursor = :c, updatedAt = :now" if source_cursor is not None
                         else "SET updatedAt = :now REMOVE sourceCursor")
        values = {":now": to_attr(utc_now_iso())} | ({":c": to_attr(source_cursor)} if source_cursor else {})
        await self._call("update_item", Key=self._key(batch_id, HEAD_KEY), UpdateExpression=cursor_update,
                         ConditionExpression="attribute_exists(batchId)", ExpressionAttributeValues=values)

    async def _add_chunk(self, batch_id: str, rows: list[BatchItem], expires_at: str) -> None:
        """Put the rows not stored yet and count exactly those, in one transaction; a row that
        exists (an earlier try of this page, or another writer) drops out and the rest go again."""
        tries = 0
        while rows:
            operations: list[dict[str, Any]] = [{"Put": {
                "TableName": self._table, "Item": row_item(row, expires_at),
                "ConditionExpression": "attribute_not_exists(sk)",
            }} for row in rows]
            operations.append({"Update": self._count_new_rows(batch_id, rows)})
            try:
                await transact(self._db, "batch store", operations)
                return
            except Cancelled as cancelled:
                stored = {i for i in cancelled.failed_conditions() if i < len(rows)}
                if len(rows) in cancelled.failed_conditions():
                    raise StoreConditionFailedError(f"batch store: batch {batch_id} does not exist") from cancelled
                if not stored:
                    tries += 1
                    if not cancelled.conflict or tries >= _CONFLICT_TRIES:
                        raise DependencyUnavailableError(f"batch store: rows not stored ({cancelled})") from cancelled
                    await asyncio.sleep(0.05 * tries)
                rows = [row for i, row in enumerate(rows) if i not in stored]

    def _count_new_rows(self, batch_id: str, rows: list[BatchItem]) -> dict[str, Any]:
        by_status = Counter(row.status for row in rows)
        statuses = {f"#s{i}": status for i, status in enumerate(sorted(by_status))}
        names = {"#total": "total", "#dups": "duplicates", "#counts": "counts"} | statuses
        values: dict[str, Any] = {":total": to_attr(len(rows)), ":now": to_attr(utc_now_iso()),
                                  ":dups": to_attr(sum(row.duplicateOf is not None for row in rows))}
        adds = ["#total :total", "#dups :dups"]
        for name, status in statuses.items():
            values[f":n{name[2:]}"] = to_attr(by_status[status])
            adds.append(f"#counts.{name} :n{name[2:]}")
        return {
            "TableName": self._table, "Key": self._key(batch_id, HEAD_KEY),
            "UpdateExpression": f"SET updatedAt = :now ADD {', '.join(adds)}",
            "ConditionExpression": "attribute_exists(batchId)",
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
        }

    async def list_for_tenant(self, tenant: str, *, limit: int, cursor: str | None,
                              status: str | None = None) -> BatchPage:
        """Newest first. With ``status``, the index is read in pages and filtered: a page may
        hold fewer than ``limit`` batches and still have a cursor."""
        kwargs: dict[str, Any] = {
            "IndexName": self._tenant_index, "KeyConditionExpression": "tenant = :t",
            "ExpressionAttributeValues": {":t": {"S": tenant}}, "ScanIndexForward": False,
        }
        if status:
            kwargs["FilterExpression"] = "#status = :s"
            kwargs["ExpressionAttributeNames"] = {"#status": "status"}
            kwargs["ExpressionAttributeValues"][":s"] = {"S": status}
        start = decode_cursor(cursor, tenant=tenant)
        found: list[dict[str, Any]] = []
        for _ in range(10):  # at most ten reads of the index per page
            if start:
                kwargs["ExclusiveStartKey"] = start
            result = await self._call("query", Limit=limit - len(found), **kwargs)
            found.extend(result.get("Items", []))
            start = result.get("LastEvaluatedKey")
            if not start or len(found) >= limit:
                break
        return BatchPage([batch_from(item) for item in found], encode_cursor(start))

    async def items(self, batch_id: str, *, limit: int, cursor: str | None) -> ItemPage:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "batchId = :b AND begins_with(sk, :p)",
            "ExpressionAttributeValues": {":b": {"S": batch_id}, ":p": {"S": "item#"}},
            "ConsistentRead": True, "Limit": limit,
        }
        start = decode_cursor(cursor, batchId=batch_id)
        if start:
            kwargs["ExclusiveStartKey"] = start
        result = await self._call("query", **kwargs)
        return ItemPage([item_from(i) for i in result.get("Items", [])], encode_cursor(result.get("LastEvaluatedKey")))

    async def _query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            result = await self._call("query", **kwargs)
            found.extend(result.get("Items", []))
            if "LastEvaluatedKey" not in result:
                return found
            kwargs["ExclusiveStartKey"] = result["LastEvaluatedKey"]

    async def get_item(self, batch_id: str, row: int) -> BatchItem | None:
        result = await self._call("get_item", Key=self._key(batch_id, item_key(row)), ConsistentRead=True)
        return item_from(result["Item"]) if "Item" in result else None

    async def items_for_job(self, batch_id: str, job_id: str) -> list[BatchItem]:
        """The rows of the job in this batch (job-items index: eventually consistent, like every GSI)."""
        found = await self._query_all(
            IndexName=self._job_index, KeyConditionExpression="jobId = :j", FilterExpression="batchId = :b",
            ExpressionAttributeValues={":j": {"S": job_id}, ":b": {"S": batch_id}},
        )
        return sorted((item_from(i) for i in found), key=lambda i: i.row)

    async def next_queued(self, batch_id: str, *, limit: int) -> list[BatchItem]:
        """A query of the queued-rows index (only queued, non-duplicate rows carry ``queuedIn``).
        The index lags the table a little: a row just released may still show, and its
        conditional move then refuses it."""
        if limit <= 0:
            return []
        result = await self._call("query", IndexName=self._queued_index, KeyConditionExpression="queuedIn = :b",
                                  ExpressionAttributeValues={":b": {"S": batch_id}}, Limit=limit)
        return [item_from(i) for i in result.get("Items", [])]

    async def move_item(self, batch_id: str, row: int, *, from_: str, from_attempt: int, to: str, attempt: int,
                        fields: dict[str, Any] | None = None) -> bool:
        """The row's conditional update and the head's count move (old -1, new +1), in one transaction.

        Any move out of ``queued`` drops the row's ``queuedIn`` (it leaves the queued-rows
        index); nothing moves a row back into ``queued``, so nothing sets it again here."""
        sets = {k: v for k, v in (fields or {}).items() if k in ITEM_FIELDS - {"batchId", "row", "status", "attempt"}}
        names = {"#status": "status", "#attempt": "attempt"} | {f"#f{i}": k for i, k in enumerate(sets)}
        values = {":from": to_attr(from_), ":fa": to_attr(from_attempt), ":to": to_attr(to), ":a": to_attr(attempt)}
        clauses = ["#status = :to", "#attempt = :a"]
        removes = [] if to == ItemStatus.QUEUED.value else [QUEUED_IN]
        for i, value in enumerate(sets.values()):
            if value is None:
                removes.append(f"#f{i}")
            else:
                clauses.append(f"#f{i} = :f{i}")
                values[f":f{i}"] = to_attr(value)
        row_update = {
            "TableName": self._table, "Key": self._key(batch_id, item_key(row)),
            "UpdateExpression": f"SET {', '.join(clauses)}" + (f" REMOVE {', '.join(removes)}" if removes else ""),
            "ConditionExpression": "#status = :from AND #attempt = :fa",
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
        }
        # A row that moves is progress: the sweeper's nudge count starts again.
        head_names, head_values = {"#nudges": RELEASE_NUDGES}, {":now": to_attr(utc_now_iso())}
        head_expression = "SET updatedAt = :now REMOVE #nudges"
        if from_ != to:  # the same status under a new attempt moves no count
            head_names |= {"#counts": "counts", "#old": from_, "#new": to}
            head_values |= {":minus": to_attr(-1), ":one": to_attr(1)}
            head_expression += " ADD #counts.#old :minus, #counts.#new :one"
        head_update = {
            "TableName": self._table, "Key": self._key(batch_id, HEAD_KEY), "UpdateExpression": head_expression,
            "ConditionExpression": "attribute_exists(batchId)", "ExpressionAttributeValues": head_values,
            "ExpressionAttributeNames": head_names,
        }
        for tries in range(1, _CONFLICT_TRIES + 1):
            try:
                await transact(self._db, "batch store", [{"Update": row_update}, {"Update": head_update}])
                return True
            except Cancelled as cancelled:
                if cancelled.failed_conditions():
                    return False  # the row moved on (or never was), or the batch is gone
                if not cancelled.conflict or tries == _CONFLICT_TRIES:
                    raise DependencyUnavailableError(f"batch store: row not moved ({cancelled})") from cancelled
                await asyncio.sleep(0.05 * tries)
        return False  # not reached: the last try returns or raises

    async def set_status(self, batch_id: str, *, to: str, from_: frozenset[str],
                         fields: dict[str, Any] | None = None) -> bool:
        """Conditional on the head's status being one of ``from_``; a field given as None is removed."""
        if not from_:
            return False
        sets: dict[str, Any] = {"updatedAt": utc_now_iso()}
        sets |= {k: v for k, v in (fields or {}).items() if k in BATCH_FIELDS - {"batchId", "tenant", "counts"}}
        sets["status"] = to
        if sets.get("expiresAt"):
            sets[EXPIRES_EPOCH] = epoch_seconds(sets["expiresAt"])
        names = {f"#f{i}": k for i, k in enumerate(sets)}
        status = next(k for k, v in names.items() if v == "status")
        values = {f":f{i}": to_attr(v) for i, v in enumerate(sets.values()) if v is not None}
        allowed = {f":from{i}": to_attr(s) for i, s in enumerate(sorted(from_))}
        clauses = [f"#f{i} = :f{i}" for i, v in enumerate(sets.values()) if v is not None]
        removes = [f"#f{i}" for i, v in enumerate(sets.values()) if v is None]
        try:
            await self._call(
                "update_item", Key=self._key(batch_id, HEAD_KEY),
                UpdateExpression=f"SET {', '.join(clauses)}" + (f" REMOVE {', '.join(removes)}" if removes else ""),
                ConditionExpression=f"attribute_exists(batchId) AND {status} IN ({', '.join(allowed)})",
                ExpressionAttributeNames=names, ExpressionAttributeValues=values | allowed,
            )
        except StoreConditionFailedError:
            return False
        return True

    async def find_stalled(self, *, older_than: str, limit: int) -> list[Batch]:
        """A scan of the queued-rows index, then each batch's head (dynamo_batch_sweep.py)."""
        return await find_stalled(self._db, self._table, self._queued_index, older_than=older_than, limit=limit)

    async def note_release_nudge(self, batch_id: str, *, updated_at: str) -> int | None:
        return await note_release_nudge(self._db, self._table, batch_id, updated_at=updated_at)
