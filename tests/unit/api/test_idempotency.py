"""The Idempotency-Key guard on an in-memory record store."""

from __future__ import annotations

import asyncio

import pytest

from services.api.idempotency import IdempotencyGuard, IdempotencyKeyReusedError, StoredResponse, body_hash
from services.api.problem_map import problem_for
from services.api.problems import Problem
from tests.fakes import InMemoryIdempotencyStore


def make(counter: list[int], delay: float = 0.0):  # type: ignore[no-untyped-def]
    async def create() -> StoredResponse:
        counter.append(1)
        await asyncio.sleep(delay)
        return StoredResponse(202, {"jobId": f"job-{len(counter)}"}, {"Location": "/v1/jobs/x"})

    return create


async def test_same_key_same_body_replays_different_body_conflicts() -> None:
    """The second call replays the first answer without creating; another body under the key is 409."""
    guard, created = IdempotencyGuard(InMemoryIdempotencyStore()), []
    first, replayed = await guard.run("acme", "k", "h1", make(created))
    again, replayed_again = await guard.run("acme", "k", "h1", make(created))
    assert (first, replayed) == (again, False) and replayed_again and len(created) == 1
    with pytest.raises(IdempotencyKeyReusedError) as info:
        await guard.run("acme", "k", "h2", make(created))
    assert problem_for(info.value).status == 409


async def test_keys_are_per_tenant() -> None:
    """The same key used by two tenants creates two jobs."""
    guard, created = IdempotencyGuard(InMemoryIdempotencyStore()), []
    await guard.run("acme", "k", "h", make(created))
    await guard.run("globex", "k", "h", make(created))
    assert len(created) == 2


async def test_a_failed_first_request_releases_the_key() -> None:
    """When creating fails, the key is free again and a retry with it creates the job."""
    guard, created = IdempotencyGuard(InMemoryIdempotencyStore()), []

    async def broken() -> StoredResponse:
        raise Problem(503, "down")

    with pytest.raises(Problem):
        await guard.run("acme", "k", "h", broken)
    await guard.run("acme", "k", "h", make(created))
    assert len(created) == 1


async def test_a_request_past_its_lock_never_releases_the_record_a_retry_took_over() -> None:
    """A failing request whose key a retry took over meanwhile leaves the retry's record in place."""
    store = InMemoryIdempotencyStore()
    guard = IdempotencyGuard(store)

    async def slow_then_broken() -> StoredResponse:
        store.take_over("acme", "k", "h", owner="the-retry")  # the lock expired; a retry holds the key
        raise Problem(503, "down")

    with pytest.raises(Problem):
        await guard.run("acme", "k", "h", slow_then_broken)
    assert ("acme", "k") in store.records and store.owners[("acme", "k")] == "the-retry"


async def test_a_request_past_its_lock_never_overwrites_the_record_a_retry_took_over() -> None:
    """A late success does not write its answer over the record of the retry that holds the key."""
    store = InMemoryIdempotencyStore()
    guard = IdempotencyGuard(store)

    async def slow() -> StoredResponse:
        store.take_over("acme", "k", "h", owner="the-retry")
        return StoredResponse(202, {"jobId": "late"}, {})

    response, replayed = await guard.run("acme", "k", "h", slow)
    assert response.body == {"jobId": "late"} and not replayed
    assert store.records[("acme", "k")].response is None and store.owners[("acme", "k")] == "the-retry"


async def test_concurrent_duplicates_wait_for_the_first_answer() -> None:
    """Duplicates arriving while the first request runs get its answer; only one job is created."""
    guard, created = IdempotencyGuard(InMemoryIdempotencyStore(), wait_seconds=2, poll_seconds=0.01), []
    results = await asyncio.gather(
        *(guard.run("acme", "k", "h", make(created, delay=0.05)) for _ in range(5))
    )
    assert len(created) == 1 and len({r[0].body["jobId"] for r in results}) == 1


def test_body_hash_ignores_formatting_and_key_order() -> None:
    """Canonical JSON: the same object in another order hashes the same; another value does not."""
    assert body_hash({"a": 1, "b": [1, 2]}) == body_hash({"b": [1, 2], "a": 1})
    assert body_hash({"a": 1}) != body_hash({"a": 2})
