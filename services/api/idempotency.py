"""Idempotency-Key on POST: the same key and body within the TTL return the first answer.

Records live in the jobs table under ``idem#<tenant>#<sha256(key)>`` with ``expiresAt``
(DynamoDB TTL). They carry no ``tenant``/``createdAt``/``status`` attribute, so they never
appear in the table's indexes. The first request wins a conditional put; a concurrent
duplicate finds the record and waits briefly for its answer; a different body under the
same key is a conflict.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from services.api.problems import Problem
from services.common.logging import get_logger

__all__ = [
    "IdempotencyStore",
    "DynamoIdempotencyStore",
    "IdempotencyGuard",
    "StoredResponse",
    "body_hash",
    "check_key",
]

_log = get_logger(__name__)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# An in-progress record older than this belongs to a request that died: a retry may take it over.
_LOCK_SECONDS = 60


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Existing:
    body_hash: str
    response: StoredResponse | None  # None while the first request is still running


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise Problem(
            400,
            "Idempotency-Key must be 1 to 255 visible ASCII characters.",
            errors=[{"field": "Idempotency-Key", "message": "invalid header value", "code": "invalid"}],
        )
    return key


def body_hash(body: Any) -> str:
    """Hash of the canonical JSON (sorted keys, no spaces): formatting does not change it."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore(Protocol):
    async def begin(self, tenant: str, key: str, digest: str) -> Existing | None: ...
    async def complete(self, tenant: str, key: str, response: StoredResponse) -> None: ...
    async def abandon(self, tenant: str, key: str) -> None: ...
    async def peek(self, tenant: str, key: str) -> Existing | None: ...


class DynamoIdempotencyStore:
    def __init__(self, dynamodb: Any, table: str, ttl_hours: int) -> None:
        self._db = dynamodb
        self._table = table
        self._ttl = ttl_hours * 3600

    @staticmethod
    def _id(tenant: str, key: str) -> dict[str, Any]:
        return {"jobId": {"S": f"idem#{tenant}#{hashlib.sha256(key.encode()).hexdigest()}"}}

    async def begin(self, tenant: str, key: str, digest: str) -> Existing | None:
        """None when this request now owns the key; else what the earlier request left."""
        now = int(time.time())
        item = {
            **self._id(tenant, key),
            "bodyHash": {"S": digest},
            "idemState": {"S": "in_progress"},
            "lockedUntil": {"N": str(now + _LOCK_SECONDS)},
            "expiresAt": {"N": str(now + self._ttl)},
        }
        try:
            await self._db.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(jobId) OR expiresAt < :now OR "
                "(idemState = :running AND lockedUntil < :now)",
                ExpressionAttributeValues={":now": {"N": str(now)}, ":running": {"S": "in_progress"}},
            )
            return None
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
        existing = await self.peek(tenant, key)
        # Gone between the put and the read (abandoned): report it as still running; the caller retries.
        return existing or Existing(digest, None)

    async def peek(self, tenant: str, key: str) -> Existing | None:
        result = await self._db.get_item(
            TableName=self._table, Key=self._id(tenant, key), ConsistentRead=True
        )
        item = result.get("Item")
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

    async def complete(self, tenant: str, key: str, response: StoredResponse) -> None:
        await self._db.update_item(
            TableName=self._table,
            Key=self._id(tenant, key),
            UpdateExpression="SET idemState = :done, statusCode = :s, #r = :r, headers = :h",
            ExpressionAttributeNames={"#r": "response"},
            ExpressionAttributeValues={
                ":done": {"S": "done"},
                ":s": {"N": str(response.status)},
                ":r": {"S": json.dumps(response.body)},
                ":h": {"S": json.dumps(response.headers)},
            },
        )

    async def abandon(self, tenant: str, key: str) -> None:
        await self._db.delete_item(TableName=self._table, Key=self._id(tenant, key))


class IdempotencyGuard:
    """Runs ``create`` at most once per (tenant, key) and replays its answer afterwards."""

    def __init__(
        self, store: IdempotencyStore, *, wait_seconds: float = 5.0, poll_seconds: float = 0.1
    ) -> None:
        self._store = store
        self._wait = wait_seconds
        self._poll = poll_seconds

    async def run(
        self, tenant: str, key: str, digest: str, create: Callable[[], Awaitable[StoredResponse]]
    ) -> tuple[StoredResponse, bool]:
        """(the response, whether it is a replay)."""
        try:
            existing = await self._store.begin(tenant, key, digest)
            deadline = time.monotonic() + self._wait
            while existing is not None and existing.response is None and existing.body_hash == digest:
                if time.monotonic() > deadline:
                    raise Problem(
                        409, "A request with this Idempotency-Key is still being processed; retry later."
                    )
                await asyncio.sleep(self._poll)
                existing = await self._store.peek(tenant, key)
                if existing is None:  # the first request failed and let the key go: take it
                    existing = await self._store.begin(tenant, key, digest)
        except (BotoCoreError, ClientError) as exc:
            raise Problem(503, "The job store is unavailable; try again shortly.") from exc
        if existing is not None:
            if existing.body_hash != digest:
                raise Problem(409, "This Idempotency-Key was used with a different request body.")
            assert existing.response is not None
            return existing.response, True
        try:
            response = await create()
        except BaseException:
            # A failed attempt must not pin the key: the client may retry with the same key.
            await asyncio.shield(self._release(tenant, key))
            raise
        try:
            await self._store.complete(tenant, key, response)
        except (BotoCoreError, ClientError) as exc:
            # The job exists; a duplicate within the lock window waits, later ones may create another.
            _log.warning("idempotency_record_not_completed", tenant=tenant, error=str(exc))
        return response, False

    async def _release(self, tenant: str, key: str) -> None:
        try:
            await self._store.abandon(tenant, key)
        except (BotoCoreError, ClientError):
            pass
