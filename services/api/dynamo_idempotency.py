"""The IdempotencyStore port on the jobs table (records under ``idem#<tenant>#<sha256(key)>``).

The first request wins a conditional put; a refused put means a record is there (read it).
The record names its owner (a token per request): completing and abandoning it are
conditional on that owner, so a request past its lock never touches a retry's record.
SDK failures leave as ``DependencyUnavailableError`` (transient).
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import TYPE_CHECKING, Any

from services.api.idempotency import Existing, StoredResponse
from services.common.adapters.aws_errors import translated
from services.common.errors import StoreConditionFailedError

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb.client import DynamoDBClient

__all__ = ["DynamoIdempotencyStore"]

# An in-progress record older than this belongs to a request that died: a retry may take it over.
_LOCK_SECONDS = 60
_CONDITION = {"ConditionalCheckFailedException": StoreConditionFailedError}


class DynamoIdempotencyStore:
    def __init__(self, dynamodb: DynamoDBClient, table: str, ttl_hours: int) -> None:
        self._db = dynamodb
        self._table = table
        self._ttl = ttl_hours * 3600

    @staticmethod
    def _id(tenant: str, key: str) -> dict[str, Any]:
        return {"jobId": {"S": f"idem#{tenant}#{hashlib.sha256(key.encode()).hexdigest()}"}}

    async def begin(self, tenant: str, key: str, digest: str, owner: str) -> Existing | None:
        """None when this request now owns the key; else what the earlier request left."""
        now = int(time.time())
        item = {
            **self._id(tenant, key),
            "bodyHash": {"S": digest},
            "idemOwner": {"S": owner},
            "idemState": {"S": "in_progress"},
            "lockedUntil": {"N": str(now + _LOCK_SECONDS)},
            "expiresAt": {"N": str(now + self._ttl)},
        }
        try:
            with translated("idempotency records", _CONDITION):
                await self._db.put_item(
                    TableName=self._table,
                    Item=item,  # type: ignore[arg-type]
                    ConditionExpression="attribute_not_exists(jobId) OR expiresAt < :now OR "
                    "(idemState = :running AND lockedUntil < :now)",
                    ExpressionAttributeValues={":now": {"N": str(now)}, ":running": {"S": "in_progress"}},
                )
            return None
        except StoreConditionFailedError:
            pass
        existing = await self.peek(tenant, key)
        # Gone between the put and the read (abandoned): report it as still running; the caller retries.
        return existing or Existing(digest, None)

    async def peek(self, tenant: str, key: str) -> Existing | None:
        with translated("idempotency records"):
            result = await self._db.get_item(
                TableName=self._table, Key=self._id(tenant, key), ConsistentRead=True  # type: ignore[arg-type]
            )
        item: Any = result.get("Item")
        if not item or int(item["expiresAt"]["N"]) < time.time():
            return None
        response = None
        if item["idemState"]["S"] == "done":
            response = StoredResponse(
                int(item["statusCode"]["N"]),
                json.loads(item["response"]["S"]),
                json.loads(item["headers"]["S"]),
            )
        return Existing(item["bodyHash"]["S"], response)

    async def complete(self, tenant: str, key: str, owner: str, response: StoredResponse) -> bool:
        try:
            with translated("idempotency records", _CONDITION):
                await self._db.update_item(
                    TableName=self._table,
                    Key=self._id(tenant, key),  # type: ignore[arg-type]
                    UpdateExpression="SET idemState = :done, statusCode = :s, #r = :r, headers = :h",
                    ConditionExpression="idemOwner = :owner",
                    ExpressionAttributeNames={"#r": "response"},
                    ExpressionAttributeValues={
                        ":done": {"S": "done"},
                        ":s": {"N": str(response.status)},
                        ":r": {"S": json.dumps(response.body)},
                        ":h": {"S": json.dumps(response.headers)},
                        ":owner": {"S": owner},
                    },
                )
        except StoreConditionFailedError:
            return False
        return True

    async def abandon(self, tenant: str, key: str, owner: str) -> bool:
        try:
            with translated("idempotency records", _CONDITION):
                await self._db.delete_item(
                    TableName=self._table,
                    Key=self._id(tenant, key),  # type: ignore[arg-type]
                    ConditionExpression="idemOwner = :owner",
                    ExpressionAttributeValues={":owner": {"S": owner}},
                )
        except StoreConditionFailedError:
            return False
        return True
