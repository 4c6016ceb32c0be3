"""``python -m services.renderer``: consume render-requests until SIGTERM."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid

from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.s3_job_files import S3JobFiles
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.adapters.ssm_parameters import SsmParameters
from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher
from services.common.logging import configure_logging, get_logger
from services.common.metrics import configure_metrics
from services.common.settings import CommonSettings
from services.common.topology import load_topology
from services.common.tracing import TracingSettings, configure_tracing, shutdown_tracing
from services.common.worker_main import (
    consume_until_stopped,
    consumer_config,
    install_stop_signals,
    worker_aws_clients,
)
from services.renderer.generation.factory import build_generator
from services.renderer.generation.settings import GenerationSettings
from services.renderer.handler import RenderHandler
from services.renderer.quality.price_recheck import PriceRechecker
from services.renderer.settings import RendererSettings


async def main() -> None:
    common, settings, generation = CommonSettings(), RendererSettings(), GenerationSettings()
    configure_logging("renderer", common.log_level, common.log_format)
    configure_metrics("renderer", enabled=common.metrics)
    configure_tracing("renderer", TracingSettings())
    config = consumer_config(common.render_queue, load_topology()["queues"]["render-requests"], settings)
    stop = asyncio.Event()
    install_stop_signals(stop)
    worker_id = f"renderer-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    # The price recheck re-reads shop pages with the scraper's fetcher and limits (FETCH_*).
    async with worker_aws_clients(common.aws_region, settings, "sqs", "dynamodb", "events", "s3", "ssm") as aws, \
            SafeFetcher(FetchSettings()) as fetcher:
        generator = await build_generator(generation, SsmParameters(aws.ssm))
        get_logger(__name__).info("generator_selected", generator=generator.name)
        try:
            handler = RenderHandler(
                store=DynamoJobStore(aws.dynamodb, common.jobs_table),
                publisher=EventBridgePublisher(aws.events, common.event_bus),
                generator=generator, storage=S3JobFiles(aws.s3, common.bucket, cache_control=settings.cache_control),
                worker_id=worker_id, lease_seconds=config.visibility_timeout,
                quality_gate=settings.quality_gate,
                price_recheck=PriceRechecker(fetcher, after=settings.price_recheck_after_seconds),
            )
            await consume_until_stopped(SqsWorkQueue(aws.sqs), handler, config, stop)
        finally:
            await generator.aclose()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    finally:
        shutdown_tracing()  # what the batch still holds
