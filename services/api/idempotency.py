"""Idempotency-Key on POST: the same key and body within the TTL return the first answer.

Records live in the jobs table under ``idem#<tenant>#<sha256(key)>`` with ``expiresAt``
(DynamoDB TTL). They carry no ``tenant``/``createdAt``/``status`` attribute, so they never
appear in the table's indexes. The first request wins a conditional put; a concurrent
duplicate finds the record and waits briefly for its answer; a different body under the
same key is a conflict.

Each request that takes a key writes its own ``owner`` token into the record, and may
complete or release the record only while it still holds that token: a request that ran
past the lock time, whose key a retry has taken over meanwhile, cannot remove or
overwrite the retry's record.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from services.common.errors import PermanentError, TransientError
from services.common.logging import get_logger

__all__ = [
    "IdempotencyStore",
    "IdempotencyGuard",
    "StoredResponse",
    "Existing",
    "body_hash",
    "check_key",
    "IdempotencyKeyInvalidError",
    "IdempotencyKeyInProgressError",
    "IdempotencyKeyReusedError",
    "IdempotencyStoreUnavailableError",
]

_log = get_logger(__name__)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class IdempotencyKeyInvalidError(PermanentError):
    """The Idempotency-Key header is not 1 to 255 visible ASCII characters."""


class IdempotencyKeyInProgressError(TransientError):
    """A request with this Idempotency-Key is still running; its answer is not there yet."""


class IdempotencyKeyReusedError(PermanentError):
    """This Idempotency-Key was used with a different request body."""


class IdempotencyStoreUnavailableError(TransientError):
    """The idempotency records could not be read or written."""


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
        raise IdempotencyKeyInvalidError("Idempotency-Key must be 1 to 255 visible ASCII characters.")
    return key


def body_hash(body: Any) -> str:
    """Hash of the canonical JSON (sorted keys, no spaces): formatting does not change it."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore(Protocol):
    """The records (adapter: dynamo_idempotency.py); TransientError when they cannot be reached."""

    async def begin(self, tenant: str, key: str, digest: str, owner: str) -> Existing | None:
        """None when ``owner`` now holds the key; else what the earlier request left."""
    async def complete(self, tenant: str, key: str, owner: str, response: StoredResponse) -> bool:
        """Store the answer; False (nothing written) when ``owner`` no longer holds the key."""
    async def abandon(self, tenant: str, key: str, owner: str) -> bool:
        """Remove the record; False (nothing removed) when ``owner`` no longer holds the key."""
    async def peek(self, tenant: str, key: str) -> Existing | None: ...


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
        owner = uuid.uuid4().hex
        try:
            existing = await self._store.begin(tenant, key, digest, owner)
            deadline = time.monotonic() + self._wait
            while existing is not None and existing.response is None and existing.body_hash == digest:
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(self._poll)
                existing = await self._store.peek(tenant, key)
                if existing is None:  # the first request failed and let the key go: take it
                    existing = await self._store.begin(tenant, key, digest, owner)
        except TransientError as exc:
            raise IdempotencyStoreUnavailableError("The job store is unavailable; try again shortly.") from exc
        if existing is not None and existing.response is None and existing.body_hash == digest:
            raise IdempotencyKeyInProgressError(
                "A request with this Idempotency-Key is still being processed; retry later."
            )
        if existing is not None:
            if existing.body_hash != digest:
                raise IdempotencyKeyReusedError("This Idempotency-Key was used with a different request body.")
            assert existing.response is not None
            return existing.response, True
        try:
            response = await create()
        except BaseException:
            # A failed attempt must not pin the key: the client may retry with the same key.
            await asyncio.shield(self._release(tenant, key, owner))
            raise
        try:
            if not await self._store.complete(tenant, key, owner, response):
                # We ran past the lock and a retry holds the key now: its record is left alone.
                _log.warning("idempotency_record_taken_over", tenant=tenant)
        except TransientError as exc:
            # The job exists; a duplicate within the lock window waits, later ones may create another.
            _log.warning("idempotency_record_not_completed", tenant=tenant, error=str(exc))
        return response, False

    async def _release(self, tenant: str, key: str, owner: str) -> None:
        try:
            if not await self._store.abandon(tenant, key, owner):
                _log.info("idempotency_record_not_released", tenant=tenant, reason="taken over by a retry")
        except TransientError:
            pass
