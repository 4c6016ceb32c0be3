"""The batch store's calls for the sweeper: stalled batches and the nudge count on a head.

Stalled batches come from a scan of the sparse ``queued-rows`` index (only a queued,
non-duplicate row carries ``queuedIn``, so the index holds nothing but work still waiting),
projected to ``queuedIn``; each batch found is then read once, consistently, for its status
and ``updatedAt``. A sweep therefore reads about as much as there are queued rows, and
nothing of finished batches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from services.common.adapters.aws_errors import translated
from services.common.adapters.dynamo_batch_codec import QUEUED_IN, batch_from
from services.common.adapters.dynamo_codec import to_attr
from services.common.batch import HEAD_KEY, Batch, BatchStatus
from services.common.errors import StoreConditionFailedError
from services.common.job import utc_now_iso

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb.client import DynamoDBClient

__all__ = ["RELEASE_NUDGES", "queued_batch_ids", "find_stalled", "note_release_nudge"]

#: The head's count of sweeper nudges since its last row move (``move_item`` removes it).
RELEASE_NUDGES = "releaseNudges"
_CONDITION = {"ConditionalCheckFailedException": StoreConditionFailedError}


async def queued_batch_ids(db: DynamoDBClient, table: str, index: str) -> list[str]:
    """Every batch id with a queued row, each once, in the order the scan met them."""
    seen: dict[str, None] = {}
    kwargs: dict[str, Any] = {"TableName": table, "IndexName": index, "ProjectionExpression": QUEUED_IN}
    while True:
        with translated("batch store"):
            result = await db.scan(**kwargs)
        for item in result.get("Items", []):
            seen.setdefault(item[QUEUED_IN]["S"], None)
        if "LastEvaluatedKey" not in result:
            return list(seen)
        kwargs["ExclusiveStartKey"] = result["LastEvaluatedKey"]


async def find_stalled(db: DynamoDBClient, table: str, index: str, *, older_than: str, limit: int) -> list[Batch]:
    """Running batches with queued rows whose head is older than ``older_than`` (up to ``limit``)."""
    found: list[Batch] = []
    for batch_id in await queued_batch_ids(db, table, index):
        if len(found) >= limit:
            break
        with translated("batch store"):
            result = await db.get_item(TableName=table, Key={"batchId": {"S": batch_id}, "sk": {"S": HEAD_KEY}},
                                       ConsistentRead=True)
        if "Item" not in result:
            continue
        batch = batch_from(result["Item"])
        if batch.status == BatchStatus.RUNNING.value and batch.updatedAt < older_than:
            found.append(batch)
    return found


async def note_release_nudge(db: DynamoDBClient, table: str, batch_id: str, *, updated_at: str) -> int | None:
    """Add one to the head's nudge count if it is running and still shows ``updated_at``."""
    try:
        with translated("batch store", _CONDITION):
            result = await db.update_item(
                TableName=table, Key={"batchId": {"S": batch_id}, "sk": {"S": HEAD_KEY}},
                UpdateExpression="SET #n = if_not_exists(#n, :zero) + :one, updatedAt = :now",
                ConditionExpression="#status = :running AND updatedAt = :u",
                ExpressionAttributeNames={"#n": RELEASE_NUDGES, "#status": "status"},
                ExpressionAttributeValues={":zero": to_attr(0), ":one": to_attr(1), ":now": to_attr(utc_now_iso()),
                                           ":running": to_attr(BatchStatus.RUNNING.value),
                                           ":u": to_attr(updated_at)},
                ReturnValues="UPDATED_NEW",
            )
    except StoreConditionFailedError:
        return None
    return int(result["Attributes"][RELEASE_NUDGES]["N"])
