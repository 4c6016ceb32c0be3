"""How batches are laid out in their DynamoDB table, and the table calls the batch store shares.

One partition per batch (``batchId``): the head at range key ``#batch`` and the rows at
``item#00000001`` ... Attributes the indexes need: ``tenant`` on heads only (the sparse
``tenant-createdAt`` index), ``jobId`` on rows (``job-items``), and ``queuedIn`` (= the batch
id) on a row only while it is queued and not a duplicate (``queued-rows``: the next rows
to release are a query, never a scan). ``expiresAtEpoch`` (whole seconds) sits beside the
ISO ``expiresAt`` on every record for the table's TTL.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from services.common.adapters.aws_errors import error_code, translated
from services.common.adapters.dynamo_codec import plain_item, to_attr
from services.common.batch import HEAD_KEY, Batch, BatchItem, ItemStatus, empty_counts, item_key
from services.common.errors import DependencyUnavailableError
from services.common.job import epoch_seconds

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb.client import DynamoDBClient

__all__ = [
    "QUEUED_IN", "EXPIRES_EPOCH", "BATCH_FIELDS", "ITEM_FIELDS", "head_item", "row_item", "batch_from",
    "item_from", "encode_cursor", "decode_cursor", "transact", "Cancelled", "stored_rows",
]

#: The attribute of a row the ``queued-rows`` index is keyed on.
QUEUED_IN = "queuedIn"
#: The table's TTL attribute (number, epoch seconds).
EXPIRES_EPOCH = "expiresAtEpoch"
BATCH_FIELDS = frozenset(f.name for f in dataclass_fields(Batch))
ITEM_FIELDS = frozenset(f.name for f in dataclass_fields(BatchItem))


def _attrs(values: dict[str, Any]) -> dict[str, Any]:
    """Typed attributes of the values that are set (an unset optional field is no attribute)."""
    return {k: to_attr(v) for k, v in values.items() if v is not None}


def head_item(batch: Batch) -> dict[str, Any]:
    plain = asdict(batch) | {"sk": HEAD_KEY, EXPIRES_EPOCH: epoch_seconds(batch.expiresAt)}
    plain["counts"] = empty_counts() | dict(batch.counts)
    return _attrs(plain)


def row_item(item: BatchItem, expires_at: str) -> dict[str, Any]:
    plain = asdict(item) | {"sk": item.key, "expiresAt": expires_at, EXPIRES_EPOCH: epoch_seconds(expires_at)}
    if item.status == ItemStatus.QUEUED.value and item.duplicateOf is None:
        plain[QUEUED_IN] = item.batchId
    return _attrs(plain)


def batch_from(item: dict[str, Any]) -> Batch:
    plain = plain_item(item)
    batch = Batch(**{k: v for k, v in plain.items() if k in BATCH_FIELDS})
    batch.counts = empty_counts() | {k: int(v) for k, v in batch.counts.items()}
    return batch


def item_from(item: dict[str, Any]) -> BatchItem:
    plain = plain_item(item)
    return BatchItem(**{k: v for k, v in plain.items() if k in ITEM_FIELDS})


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    """An opaque cursor: the query's LastEvaluatedKey as base64 JSON."""
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode() if key else None


def decode_cursor(cursor: str | None, **expected: str) -> dict[str, Any] | None:
    """The key a cursor carries; ``ValueError`` when it is not one of ours or names another
    partition than ``expected`` (a cursor from another tenant's or batch's listing)."""
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error) as exc:
        raise ValueError("malformed cursor") from exc
    if not isinstance(key, dict) or not all(isinstance(v, dict) and len(v) == 1 for v in key.values()):
        raise ValueError("malformed cursor")
    for name, value in expected.items():
        if key.get(name) != {"S": value}:
            raise ValueError("cursor of another listing")
    return key


class Cancelled(Exception):  # noqa: N818 - an outcome the store reads, not an error that leaves it
    """A transaction DynamoDB cancelled: one reason code per operation ("None" where it was fine)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons

    def failed_conditions(self) -> set[int]:
        return {i for i, code in enumerate(self.reasons) if code == "ConditionalCheckFailed"}

    @property
    def conflict(self) -> bool:
        """Another transaction or write touched the same items meanwhile: trying again may succeed."""
        return any(code == "TransactionConflict" for code in self.reasons)


async def transact(db: DynamoDBClient, what: str, operations: list[dict[str, Any]]) -> None:
    """One TransactWriteItems; a cancelled transaction raises ``Cancelled`` with its reasons,
    any other failure leaves as ``DependencyUnavailableError`` (aws_errors.translated)."""
    with translated(what):
        try:
            await db.transact_write_items(TransactItems=operations)  # type: ignore[arg-type]
        except ClientError as exc:
            if error_code(exc) != "TransactionCanceledException":
                raise
            reasons = exc.response.get("CancellationReasons") or []  # type: ignore[typeddict-item]
            raise Cancelled([str(r.get("Code", "None")) for r in reasons]) from exc


async def stored_rows(db: DynamoDBClient, table: str, batch_id: str, rows: list[int]) -> set[int]:
    """Which of ``rows`` the batch has already (consistent reads, 100 keys a call): a page
    stored again then costs reads, not transactions DynamoDB cancels."""
    found: set[int] = set()
    for start in range(0, len(rows), 100):
        request: dict[str, Any] = {table: {
            "Keys": [{"batchId": {"S": batch_id}, "sk": {"S": item_key(r)}} for r in rows[start:start + 100]],
            "ProjectionExpression": "sk", "ConsistentRead": True,
        }}
        for attempt in range(1, 6):
            with translated("batch store"):
                result = await db.batch_get_item(RequestItems=request)  # type: ignore[arg-type]
            found |= {int(i["sk"]["S"].removeprefix("item#")) for i in result.get("Responses", {}).get(table, [])}
            request = dict(result.get("UnprocessedKeys") or {})
            if not request:
                break
            await asyncio.sleep(0.05 * attempt)
        else:
            raise DependencyUnavailableError("batch store unavailable (keys left unprocessed)")
    return found
