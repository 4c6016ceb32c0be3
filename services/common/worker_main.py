"""What a queue-consuming service's ``main`` does: signals, the consumer loop, a clean exit."""

from __future__ import annotations

import asyncio
import signal

from services.common.consumer import ConsumerConfig, MessageHandler, SqsConsumer
from services.common.logging import get_logger

__all__ = ["install_stop_signals", "consume_until_stopped"]

_log = get_logger(__name__)


def install_stop_signals(stop: asyncio.Event) -> None:
    """SIGTERM (ECS stopping the task) and SIGINT set ``stop``; a second one is ignored."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def consume_until_stopped(sqs: object, handler: MessageHandler, config: ConsumerConfig,
                                stop: asyncio.Event) -> None:
    _log.info("consumer_started", queue=config.queue_name, max_in_flight=config.max_in_flight)
    await SqsConsumer(sqs, handler, config).run(stop)
    _log.info("consumer_stopped", queue=config.queue_name)
