"""``python -m services.batcher``: consume batch-work until SIGTERM (docs/batches.md)."""

from __future__ import annotations

import asyncio

from services.batcher.handler import BatchWorkHandler
from services.batcher.job_starter import BatchJobStarter, KeptPhotos
from services.batcher.settings import BatchSettings
from services.batcher.sources.safe_source_fetcher import SafeSourceFetcher
from services.common.adapters.dynamo_batch_store import DynamoBatchStore
from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.adapters.dynamo_window_counter import DynamoWindowCounter
from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.s3_job_files import S3JobFiles
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.fetching.safe_fetch import FetchSettings, SafeFetcher
from services.common.job_submitter import JobSubmitter
from services.common.logging import configure_logging
from services.common.metrics import configure_metrics
from services.common.settings import CommonSettings
from services.common.source_image import SourceImageStore
from services.common.topology import load_topology
from services.common.tracing import TracingSettings, configure_tracing, shutdown_tracing
from services.common.worker_main import (
    consume_until_stopped,
    consumer_config,
    install_stop_signals,
    worker_aws_clients,
)


async def main() -> None:
    common, settings, fetch_settings = CommonSettings(), BatchSettings(), FetchSettings()
    configure_logging("batcher", common.log_level, common.log_format)
    configure_metrics("batcher", enabled=common.metrics)
    configure_tracing("batcher", TracingSettings())
    config = consumer_config(common.batch_queue, load_topology()["queues"]["batch-work"], settings)
    stop = asyncio.Event()
    install_stop_signals(stop)
    async with worker_aws_clients(common.aws_region, settings, "sqs", "dynamodb", "events", "s3") as aws, SafeFetcher(
        fetch_settings
    ) as fetcher:
        queue = SqsWorkQueue(aws.sqs)
        publisher = EventBridgePublisher(aws.events, common.event_bus)
        files = S3JobFiles(aws.s3, common.bucket)
        jobs = DynamoJobStore(aws.dynamodb, common.jobs_table)
        # A batch's jobs live as long as the batch (and its images): batch_ttl_hours.
        submitter = JobSubmitter(store=jobs, publisher=publisher, queue=queue, scrape_queue=common.scrape_queue,
                                 ttl_hours=common.batch_ttl_hours)
        starter = BatchJobStarter(jobs=jobs, submitter=submitter, photos=KeptPhotos(SourceImageStore(fetcher, files)),
                                  ttl_hours=common.batch_ttl_hours)
        handler = BatchWorkHandler(
            store=DynamoBatchStore(aws.dynamodb, common.batches_table), files=files, queue=queue,
            queue_name=common.batch_queue, publisher=publisher, starter=starter,
            fetcher=SafeSourceFetcher(fetcher), settings=settings,
            counter=DynamoWindowCounter(aws.dynamodb, common.jobs_table),  # the API's quota counters
        )
        try:
            await consume_until_stopped(queue, handler, config, stop)
        finally:
            await submitter.aclose()  # JobAccepted events still on their way


if __name__ == "__main__":
    try:
        asyncio.run(main())
    finally:
        shutdown_tracing()  # spans not exported yet
