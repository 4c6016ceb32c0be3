"""What a queue-consuming service's ``main`` does: signals, AWS clients, the consumer loop, a clean exit."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiobotocore.config import AioConfig

from services.common.aws import AwsClients, aws_clients
from services.common.consumer import ConsumerConfig, MessageHandler, SqsConsumer
from services.common.logging import get_logger
from services.common.work_queue import WorkQueue
from services.common.worker_settings import WorkerSettings

__all__ = ["install_stop_signals", "consume_until_stopped", "consumer_config", "worker_aws_clients"]

_log = get_logger(__name__)


def install_stop_signals(stop: asyncio.Event) -> None:
    """SIGTERM (ECS stopping the task) and SIGINT set ``stop``; a second one changes nothing."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


def consumer_config(queue_name: str, queue: dict[str, Any], settings: WorkerSettings) -> ConsumerConfig:
    """The consumer's settings: the queue's own (topology) unless the environment overrides them."""
    return ConsumerConfig(
        queue_name=queue_name,
        visibility_timeout=settings.visibility_timeout or int(queue["visibility_timeout_seconds"]),
        max_receive_count=int(queue["max_receive_count"]),
        max_in_flight=settings.max_in_flight,
        batch_size=settings.batch_size,
        wait_time_seconds=settings.wait_time_seconds,
        backoff_base=settings.backoff_base,
        backoff_max=settings.backoff_max,
        shutdown_deadline=settings.shutdown_deadline,
        health_file=settings.health_file,
    )


def _aio_config(settings: WorkerSettings, read_timeout: float) -> AioConfig:
    # Few SDK retries: the consumer loop and SQS redelivery are the outer retry, so an
    # outage costs seconds per call instead of minutes of stacked retries.
    return AioConfig(
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=settings.aws_connect_timeout,
        read_timeout=read_timeout,
        max_pool_connections=max(64, settings.max_in_flight * 3),
        tcp_keepalive=True,
    )


@asynccontextmanager
async def worker_aws_clients(
    region: str, settings: WorkerSettings, *services: str
) -> AsyncIterator[AwsClients]:
    """The worker's clients; SQS gets the long-poll wait on top of its read timeout."""
    others = [s for s in services if s != "sqs"]
    # A receive that times out after SQS answered leaves its messages invisible for the
    # whole visibility timeout, so the poll gets a wider margin than the other calls.
    sqs_config = _aio_config(settings, settings.wait_time_seconds + 2 * settings.aws_read_timeout)
    async with (
        aws_clients(region, "sqs", config=sqs_config) as queue_clients,
        aws_clients(region, *others, config=_aio_config(settings, settings.aws_read_timeout)) as clients,
    ):
        clients.opened["sqs"] = queue_clients.sqs
        yield clients


async def consume_until_stopped(
    queue: WorkQueue, handler: MessageHandler, config: ConsumerConfig, stop: asyncio.Event
) -> None:
    _log.info(
        "consumer_started",
        queue=config.queue_name,
        max_in_flight=config.max_in_flight,
        visibility_timeout=config.visibility_timeout,
    )
    await SqsConsumer(queue, handler, config).run(stop)
    _log.info("consumer_stopped", queue=config.queue_name)
