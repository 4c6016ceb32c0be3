"""``python -m services.sweeper [--once] [--interval S] [--stuck-after S]``: re-drive or fail stuck jobs.

Runs a sweep every ``--interval`` seconds until SIGTERM, or one sweep with ``--once``
(prints its summary as JSON; exit 0). Safe to run on a schedule and to run twice at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.aws import aws_clients
from services.common.logging import configure_logging, get_logger
from services.common.settings import CommonSettings
from services.common.worker_main import install_stop_signals
from services.sweeper.settings import SweeperSettings
from services.sweeper.sweeper import Sweeper, SweepPolicy


def parse_args(defaults: SweeperSettings, argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m services.sweeper", description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="one sweep, print its summary, exit")
    parser.add_argument("--interval", type=float, default=defaults.interval, help="seconds between sweeps")
    parser.add_argument(
        "--stuck-after",
        type=float,
        default=defaults.stuck_after,
        help="seconds without a state change before a job counts as stuck",
    )
    parser.add_argument("--max-redrives", type=int, default=defaults.max_redrives)
    parser.add_argument(
        "--give-up-after",
        type=float,
        default=defaults.give_up_after,
        help="seconds since creation after which a job is failed whatever holds it",
    )
    parser.add_argument(
        "--review-deadline-hours",
        type=float,
        default=defaults.review_deadline_hours,
        help="hours a job may wait in review for a person's answer before it is failed",
    )
    return parser.parse_args(argv)


async def main(argv: list[str] | None = None) -> None:
    common, settings = CommonSettings(), SweeperSettings()
    args = parse_args(settings, argv)
    if args.review_deadline_hours >= common.job_ttl_hours:
        raise SystemExit(
            f"the review deadline ({args.review_deadline_hours:g} h) must be below the job TTL "
            f"({common.job_ttl_hours} h): the job record would expire before anyone could fail it"
        )
    configure_logging("sweeper", common.log_level, common.log_format)
    log = get_logger(__name__)
    policy = SweepPolicy(
        stuck_after=args.stuck_after,
        max_redrives=args.max_redrives,
        give_up_after=args.give_up_after,
        review_deadline=args.review_deadline_hours * 3600,
    )
    async with aws_clients(common.aws_region, "sqs", "dynamodb", "events") as aws:
        sweeper = Sweeper(
            store=DynamoJobStore(aws.dynamodb, common.jobs_table),
            publisher=EventBridgePublisher(aws.events, common.event_bus),
            queue=SqsWorkQueue(aws.sqs),
            scrape_queue=common.scrape_queue,
            policy=policy,
        )
        if args.once:
            print(json.dumps((await sweeper.sweep_once()).as_dict()))
            return
        stop = asyncio.Event()
        install_stop_signals(stop)
        while not stop.is_set():
            try:
                await sweeper.sweep_once()
            except Exception:  # noqa: BLE001 - one failed sweep must not end the loop; the next retries
                log.exception("sweep_failed")
            try:
                await asyncio.wait_for(stop.wait(), timeout=args.interval)
            except TimeoutError:
                pass


if __name__ == "__main__":
    asyncio.run(main())
