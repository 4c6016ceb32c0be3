"""AWS clients, created once per process inside ``async with`` and passed to whoever needs them.

Endpoints, region and credentials come from the SDK's standard configuration
(``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_<SERVICE>``, ``AWS_REGION`` ...): the services never
know whether they talk to AWS or to LocalStack. With tracing on, every call is a span
(``aws_spans.py``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

from services.common.aws_spans import instrument_client
from services.common.tracing import tracing_enabled

if TYPE_CHECKING:
    from types_aiobotocore_dynamodb.client import DynamoDBClient
    from types_aiobotocore_events.client import EventBridgeClient
    from types_aiobotocore_s3.client import S3Client
    from types_aiobotocore_sqs.client import SQSClient
    from types_aiobotocore_ssm.client import SSMClient

__all__ = ["AwsClients", "aws_clients"]

_CONFIG = AioConfig(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=5,
    read_timeout=30,
    max_pool_connections=64,
)


class AwsClients:
    """The clients opened by ``aws_clients``, typed; asking for one not opened is a programming error."""

    def __init__(self) -> None:
        self.opened: dict[str, Any] = {}

    def _client(self, name: str) -> Any:
        if name not in self.opened:
            raise RuntimeError(f"no {name} client was opened (name it in aws_clients)")
        return self.opened[name]

    @property
    def sqs(self) -> SQSClient:
        client: SQSClient = self._client("sqs")
        return client

    @property
    def s3(self) -> S3Client:
        client: S3Client = self._client("s3")
        return client

    @property
    def dynamodb(self) -> DynamoDBClient:
        client: DynamoDBClient = self._client("dynamodb")
        return client

    @property
    def events(self) -> EventBridgeClient:
        client: EventBridgeClient = self._client("events")
        return client

    @property
    def ssm(self) -> SSMClient:
        client: SSMClient = self._client("ssm")
        return client


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
            if tracing_enabled():
                instrument_client(client)
            clients.opened[name] = client
        yield clients
