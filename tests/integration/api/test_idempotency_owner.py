"""The DynamoDB idempotency records on the local AWS: only the request holding a key may release or complete it."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.api.dynamo_idempotency import DynamoIdempotencyStore
from services.api.idempotency import StoredResponse
from services.common.aws import aws_clients
from services.common.settings import CommonSettings

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(aws_env: dict[str, str]) -> AsyncIterator[DynamoIdempotencyStore]:
    async with aws_clients(aws_env["AWS_REGION"], "dynamodb") as clients:
        yield DynamoIdempotencyStore(clients.dynamodb, CommonSettings().jobs_table, ttl_hours=1)


def _expire_lock(boto: Any, store: DynamoIdempotencyStore, tenant: str, key: str) -> None:
    """What time does to a request that runs past its lock: lockedUntil lies in the past."""
    boto.dynamodb.update_item(
        TableName=CommonSettings().jobs_table, Key=store._id(tenant, key),
        UpdateExpression="SET lockedUntil = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )


async def test_a_late_request_cannot_release_or_complete_the_record_a_retry_took_over(
    store: DynamoIdempotencyStore, boto: Any
) -> None:
    """The first owner's release and completion are refused once a retry took the key; the retry's stand."""
    tenant, key = "acme", f"itest-{uuid.uuid4().hex}"
    assert await store.begin(tenant, key, "h", "first") is None
    _expire_lock(boto, store, tenant, key)
    assert await store.begin(tenant, key, "h", "retry") is None  # the retry takes the key over
    assert await store.abandon(tenant, key, "first") is False
    assert await store.complete(tenant, key, "first", StoredResponse(202, {"jobId": "late"}, {})) is False
    still = await store.peek(tenant, key)
    assert still is not None and still.response is None
    assert await store.complete(tenant, key, "retry", StoredResponse(202, {"jobId": "j"}, {})) is True
    done = await store.peek(tenant, key)
    assert done is not None and done.response is not None and done.response.body == {"jobId": "j"}
    assert await store.abandon(tenant, key, "retry") is True and await store.peek(tenant, key) is None
