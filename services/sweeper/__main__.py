"""``python -m services.sweeper [--once] [--interval S] [--stuck-after S]``: re-drive or fail stuck jobs and batches.

Runs a sweep every ``--interval`` seconds until SIGTERM, or one sweep with ``--once``
(prints its summary as JSON: the jobs' counts, and the stalled batches' under ``batches``;
exit 0). Each sweep sweeps the jobs (sweeper.py), then the batches (batch_sweep.py), with
the same policy. Safe to run on a schedule and to run twice at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from services.common.adapters.dynamo_batch_store import DynamoBatchStore
from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.aws import aws_clients
from services.common.logging import configure_logging, get_logger
from services.common.settings import CommonSettings
from services.common.worker_main import install_stop_signals
from services.sweeper.batch_sweep import BatchSweep, BatchSweepReport
from services.sweeper.settings import SweeperSettings
from services.sweeper.sweeper import Sweeper, SweepPolicy

_log = get_logger(__name__)


async def sweep_once(sweeper: Sweeper, batches: BatchSweep) -> dict[str, Any]:
    """One sweep of the jobs, then of the batches (a failed batch sweep leaves the jobs' done);
    the summary ``--once`` prints."""
    summary = (await sweeper.sweep_once()).as_dict()
    try:
        summary["batches"] = (await batches.sweep_once()).as_dict()
    except Exception:  # noqa: BLE001 - the jobs were swept; the next sweep tries the batches again
        _log.exception("batch_sweep_failed")
        summary["batches"] = BatchSweepReport(errors=["find_stalled"]).as_dict()
    return summary


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
    policy = SweepPolicy(
        stuck_after=args.stuck_after,
        max_redrives=args.max_redrives,
        give_up_after=args.give_up_after,
        review_deadline=args.review_deadline_hours * 3600,
    )
    async with aws_clients(common.aws_region, "sqs", "dynamodb", "events") as aws:
        queue = SqsWorkQueue(aws.sqs)
        sweeper = Sweeper(
            store=DynamoJobStore(aws.dynamodb, common.jobs_table),
            publisher=EventBridgePublisher(aws.events, common.event_bus),
            queue=queue,
            scrape_queue=common.scrape_queue,
            policy=policy,
        )
        batches = BatchSweep(store=DynamoBatchStore(aws.dynamodb, common.batches_table), queue=queue,
                             batch_queue=common.batch_queue, policy=policy)
        if args.once:
            print(json.dumps(await sweep_once(sweeper, batches)))
            return
        stop = asyncio.Event()
        install_stop_signals(stop)
        while not stop.is_set():
            try:
                await sweep_once(sweeper, batches)
            except Exception:  # noqa: BLE001 - one failed sweep must not end the loop; the next retries
                _log.exception("sweep_failed")
            try:
                await asyncio.wait_for(stop.wait(), timeout=args.interval)
            except TimeoutError:
                pass


if __name__ == "__main__":
    asyncio.run(main())
