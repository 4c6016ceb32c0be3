"""The API's IdempotencyStore port in memory."""

from __future__ import annotations

from services.api.idempotency import Existing, StoredResponse

__all__ = ["InMemoryIdempotencyStore"]


class InMemoryIdempotencyStore:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], Existing] = {}

    async def begin(self, tenant: str, key: str, digest: str) -> Existing | None:
        if (tenant, key) in self.records:
            return self.records[(tenant, key)]
        self.records[(tenant, key)] = Existing(digest, None)
        return None

    async def peek(self, tenant: str, key: str) -> Existing | None:
        return self.records.get((tenant, key))

    async def complete(self, tenant: str, key: str, response: StoredResponse) -> None:
        self.records[(tenant, key)] = Existing(self.records[(tenant, key)].body_hash, response)

    async def abandon(self, tenant: str, key: str) -> None:
        self.records.pop((tenant, key), None)
