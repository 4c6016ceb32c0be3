"""The WindowCounter port on the jobs table (items ``limit#<bucket>#<window>#<start>``).

One conditional UpdateItem per hit: ``ADD hits <cost>`` unless that would pass the limit.
The item expires (table TTL on ``expiresAt``) a minute after its window ends; no GSI key is
set, so the counters stay out of every index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.common.adapters.aws_errors import translated
from services.common.errors import StoreConditionFailedError

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb.client import DynamoDBClient

__all__ = ["DynamoWindowCounter"]

_CONDITION = {"ConditionalCheckFailedException": StoreConditionFailedError}
_KEEP_SECONDS = 60  # past the window's end: clocks of different tasks differ a little


class DynamoWindowCounter:
    def __init__(self, dynamodb: DynamoDBClient, table: str) -> None:
        self._db = dynamodb
        self._table = table

    async def hit(self, bucket: str, *, limit: int, window_seconds: int, now: float, cost: int = 1) -> float:
        if cost > limit:
            return max(int(now // window_seconds) * window_seconds + window_seconds - now, 0.001)
        start = int(now // window_seconds) * window_seconds
        end = start + window_seconds
        try:
            with translated("rate limit counters", _CONDITION):
                await self._db.update_item(
                    TableName=self._table,
                    Key={"jobId": {"S": f"limit#{bucket}#{window_seconds}#{start}"}},
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
