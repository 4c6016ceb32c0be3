"""``python -m services.scraper``: consume scrape-requests until SIGTERM."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid

from services.common.aws import aws_clients
from services.common.consumer import ConsumerConfig
from services.common.events import EventBridgePublisher
from services.common.job_store import DynamoJobStore
from services.common.logging import configure_logging
from services.common.settings import CommonSettings
from services.common.topology import load_topology
from services.common.worker_main import consume_until_stopped, install_stop_signals
from services.scraper.handler import ScrapeHandler
from services.scraper.safe_fetch import FetchSettings, SafeFetcher
from services.scraper.settings import ScraperSettings


async def main() -> None:
    common, settings, fetch_settings = CommonSettings(), ScraperSettings(), FetchSettings()
    configure_logging("scraper", common.log_level, common.log_format)
    queue = load_topology()["queues"]["scrape-requests"]
    stop = asyncio.Event()
    install_stop_signals(stop)
    worker_id = f"scraper-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    async with aws_clients(common.aws_region, "sqs", "dynamodb", "events", "s3") as aws, SafeFetcher(
        fetch_settings
    ) as fetcher:
        handler = ScrapeHandler(
            store=DynamoJobStore(aws.dynamodb, common.jobs_table),
            publisher=EventBridgePublisher(aws.events, common.event_bus),
            fetcher=fetcher, s3=aws.s3, bucket=common.bucket, worker_id=worker_id,
            lease_seconds=queue["visibility_timeout_seconds"], max_source_images=settings.max_source_images,
        )
        config = ConsumerConfig(
            queue_name=common.scrape_queue, visibility_timeout=queue["visibility_timeout_seconds"],
            max_receive_count=queue["max_receive_count"], max_in_flight=settings.max_in_flight,
            wait_time_seconds=settings.wait_time_seconds, backoff_base=settings.backoff_base,
            backoff_max=settings.backoff_max, shutdown_deadline=settings.shutdown_deadline,
            health_file=settings.health_file,
        )
        await consume_until_stopped(aws.sqs, handler, config, stop)


if __name__ == "__main__":
    asyncio.run(main())
