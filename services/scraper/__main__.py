"""``python -m services.scraper``: consume scrape-requests until SIGTERM."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid

from services.common.adapters.dynamo_host_gate import DynamoHostGate
from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.s3_job_files import S3JobFiles
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher
from services.common.host_pacing import HostPacer
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
from services.scraper.politeness_settings import PolitenessSettings
from services.scraper.robots_rules import RobotsRules
from services.scraper.settings import ScraperSettings
from services.scraper.shop_politeness import ShopPoliteness


async def main() -> None:
    common, settings, fetch_settings = CommonSettings(), ScraperSettings(), FetchSettings()
    polite = PolitenessSettings()
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
        pacer = HostPacer(
            DynamoHostGate(aws.dynamodb, common.jobs_table),
            # A slot outlives the longest attempt it guards; a task that dies holding one loses it then.
            lease_seconds=fetch_settings.total_timeout + 10, max_wait=polite.host_slot_wait,
            max_back_off=polite.host_max_back_off, default_back_off=polite.host_default_back_off,
            start_margin=polite.host_start_margin,
        )
        handler = ScrapeHandler(
            store=DynamoJobStore(aws.dynamodb, common.jobs_table),
            publisher=EventBridgePublisher(aws.events, common.event_bus),
            fetcher=fetcher, files=S3JobFiles(aws.s3, common.bucket), worker_id=worker_id,
            lease_seconds=config.visibility_timeout, max_source_images=settings.max_source_images,
            politeness=ShopPoliteness(polite, pacer, RobotsRules(fetcher, polite)),
        )
        await consume_until_stopped(SqsWorkQueue(aws.sqs), handler, config, stop)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    finally:
        shutdown_tracing()  # what the batch still holds
