"""AWS clients, created once per process inside ``async with`` and passed to whoever needs them.

Endpoints, region and credentials come from the SDK's standard configuration
(``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_<SERVICE>``, ``AWS_REGION`` ...): the services never
know whether they talk to AWS or to LocalStack.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

__all__ = ["AwsClients", "aws_clients"]

_CONFIG = AioConfig(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=5,
    read_timeout=30,
    max_pool_connections=64,
)


@dataclass(slots=True)
class AwsClients:
    sqs: Any = None
    s3: Any = None
    dynamodb: Any = None
    events: Any = None
    ssm: Any = None


@asynccontextmanager
async def aws_clients(region: str, *services: str, config: AioConfig | None = None) -> AsyncIterator[AwsClients]:
    """Open the named clients (``"sqs"``, ``"s3"`` ...) for the life of the block."""
    session = get_session()
    clients = AwsClients()
    async with AsyncExitStack() as stack:
        for name in services:
            client = await stack.enter_async_context(
                session.create_client(name, region_name=region, config=config or _CONFIG)  # type: ignore[call-overload]
            )
            setattr(clients, name, client)
        yield clients
