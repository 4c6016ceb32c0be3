"""The WindowCounter port on the jobs table (items ``limit#<bucket>#<window>#<start>``).

``hit``: one conditional UpdateItem, ``ADD hits <cost>`` unless that would pass the limit.
``take``: read the token's item (``limit#<bucket>#token#<token>``, the answer of an earlier
take) and the window's count, then one transaction writes the token with what this take
counted and adds that to the window's count, on condition that neither moved since the
reads (else read again). A window's item expires (table TTL on ``expiresAt``) a minute after
its window ends, a token's a week after it was written; no GSI key is set, so the counters
stay out of every index.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from services.common.adapters.aws_errors import translated
from services.common.adapters.dynamo_batch_codec import Cancelled, transact
from services.common.errors import DependencyUnavailableError, StoreConditionFailedError
from services.common.window_counter import window_start

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb.client import DynamoDBClient

__all__ = ["DynamoWindowCounter"]

_CONDITION = {"ConditionalCheckFailedException": StoreConditionFailedError}
_KEEP_SECONDS = 60  # past the window's end: clocks of different tasks differ a little
_TOKEN_KEEP_SECONDS = 7 * 86_400  # longer than any message that could replay a take stays queued
_TAKE_TRIES = 10  # a busy bucket's count moves under the read; read again this often, then give up
_WHAT = "rate limit counters"


class DynamoWindowCounter:
    def __init__(self, dynamodb: DynamoDBClient, table: str) -> None:
        self._db = dynamodb
        self._table = table

    async def hit(self, bucket: str, *, limit: int, window_seconds: int, now: float, cost: int = 1) -> float:
        start = window_start(now, window_seconds)
        end = start + window_seconds
        if cost > limit:
            return max(end - now, 0.001)
        try:
            with translated(_WHAT, _CONDITION):
                await self._db.update_item(
                    TableName=self._table,
                    Key=self._window_key(bucket, window_seconds, start),
                    UpdateExpression="ADD hits :cost SET expiresAt = :exp",
                    ConditionExpression="attribute_not_exists(hits) OR hits <= :room",
                    ExpressionAttributeValues={
                        ":cost": {"N": str(cost)},
                        ":room": {"N": str(limit - cost)},
                        ":exp": {"N": str(end + _KEEP_SECONDS)},
                    },
                )
        except StoreConditionFailedError:
            return max(end - now, 0.001)
        return 0.0

    async def take(self, bucket: str, *, limit: int, window_seconds: int, now: float, cost: int, token: str) -> int:
        start = window_start(now, window_seconds)
        window_key = self._window_key(bucket, window_seconds, start)
        token_key = {"jobId": {"S": f"limit#{bucket}#token#{token}"}}
        for tries in range(1, _TAKE_TRIES + 1):
            earlier = await self._read(token_key, "taken")
            if earlier is not None:
                return earlier
            hits = await self._read(window_key, "hits")
            taken = max(0, min(cost, limit - (hits or 0)))
            counted: dict[str, Any] = {
                "TableName": self._table, "Key": window_key,
                "UpdateExpression": "ADD hits :taken SET expiresAt = :exp",
                "ConditionExpression": "attribute_not_exists(hits)" if hits is None else "hits = :old",
                "ExpressionAttributeValues": {":taken": {"N": str(taken)},
                                              ":exp": {"N": str(start + window_seconds + _KEEP_SECONDS)}}
                | ({} if hits is None else {":old": {"N": str(hits)}}),
            }
            remembered = {
                "TableName": self._table, "ConditionExpression": "attribute_not_exists(jobId)",
                "Item": token_key | {"taken": {"N": str(taken)}, "window": {"N": str(start)},
                                     "expiresAt": {"N": str(int(now) + _TOKEN_KEEP_SECONDS)}},
            }
            try:
                await transact(self._db, _WHAT, [{"Put": remembered}, {"Update": counted}])
                return taken
            except Cancelled as cancelled:
                if not cancelled.failed_conditions() and not cancelled.conflict:
                    raise DependencyUnavailableError(f"{_WHAT}: take not counted ({cancelled})") from cancelled
            await asyncio.sleep(0.02 * tries)  # the token was written or the count moved: read both again
        raise DependencyUnavailableError(f"{_WHAT}: the count of {bucket} kept moving; try again")

    def _window_key(self, bucket: str, window_seconds: int, start: int) -> dict[str, Any]:
        return {"jobId": {"S": f"limit#{bucket}#{window_seconds}#{start}"}}

    async def _read(self, key: dict[str, Any], attribute: str) -> int | None:
        with translated(_WHAT):
            result = await self._db.get_item(TableName=self._table, Key=key, ConsistentRead=True,
                                             ProjectionExpression="#a", ExpressionAttributeNames={"#a": attribute})
        value = result.get("Item", {}).get(attribute, {}).get("N")
        return int(value) if value is not None else None
