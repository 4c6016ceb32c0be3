"""The API's IdempotencyStore port in memory (``owners`` says which request holds each key)."""

from __future__ import annotations

from services.api.idempotency import Existing, StoredResponse

__all__ = ["InMemoryIdempotencyStore"]


class InMemoryIdempotencyStore:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], Existing] = {}
        self.owners: dict[tuple[str, str], str] = {}

    async def begin(self, tenant: str, key: str, digest: str, owner: str) -> Existing | None:
        if (tenant, key) in self.records:
            return self.records[(tenant, key)]
        self.records[(tenant, key)] = Existing(digest, None)
        self.owners[(tenant, key)] = owner
        return None

    def take_over(self, tenant: str, key: str, digest: str, owner: str) -> None:
        """What the store does when a retry finds the lock expired: the key is ``owner``'s now."""
        self.records[(tenant, key)] = Existing(digest, None)
        self.owners[(tenant, key)] = owner

    async def peek(self, tenant: str, key: str) -> Existing | None:
        return self.records.get((tenant, key))

    async def complete(self, tenant: str, key: str, owner: str, response: StoredResponse) -> bool:
        if self.owners.get((tenant, key)) != owner:
            return False
        self.records[(tenant, key)] = Existing(self.records[(tenant, key)].body_hash, response)
        return True

    async def abandon(self, tenant: str, key: str, owner: str) -> bool:
        if self.owners.get((tenant, key)) != owner:
            return False
        self.records.pop((tenant, key), None)
        self.owners.pop((tenant, key), None)
        return True
