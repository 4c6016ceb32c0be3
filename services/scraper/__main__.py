"""``python -m services.scraper``: consume scrape-requests until SIGTERM."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid

from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.s3_job_files import S3JobFiles
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher
from services.common.logging import configure_logging
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
from services.scraper.handler import ScrapeHandler
from services.scraper.settings import ScraperSettings


async def main() -> None:
    common, settings, fetch_settings = CommonSettings(), ScraperSettings(), FetchSettings()
    configure_logging("scraper", common.log_level, common.log_format)
    configure_metrics("scraper", enabled=common.metrics)
    configure_tracing("scraper", TracingSettings())
    config = consumer_config(common.scrape_queue, load_topology()["queues"]["scrape-requests"], settings)
    stop = asyncio.Event()
    install_stop_signals(stop)
    worker_id = f"scraper-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    async with worker_aws_clients(common.aws_region, settings, "sqs", "dynamodb", "events", "s3") as aws, SafeFetcher(
        fetch_settings
    ) as fetcher:
        handler = ScrapeHandler(
            store=DynamoJobStore(aws.dynamodb, common.jobs_table),
            publisher=EventBridgePublisher(aws.events, common.event_bus),
            fetcher=fetcher, files=S3JobFiles(aws.s3, common.bucket), worker_id=worker_id,
            lease_seconds=config.visibility_timeout, max_source_images=settings.max_source_images,
        )
        await consume_until_stopped(SqsWorkQueue(aws.sqs), handler, config, stop)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    finally:
        shutdown_tracing()  # what the batch still holds
