"""``python -m services.ops.redrive --queue scrape-requests``: move DLQ messages back after a fix.

Without ``--retry-failed`` the DLQ is moved back as it is, by an SQS message move task
(``StartMessageMoveTask``), or, where the endpoint lacks it, by a receive/send/delete loop.
A moved message whose job is already ``failed`` (the consumer fails the job when it
dead-letters the message) is then dropped by the worker as a duplicate: moving alone
re-runs only jobs that are not failed (e.g. messages a crashing worker left to SQS's
redrive policy, or messages a fixed release can now read).

With ``--retry-failed`` every message is looked at: when its job is ``failed`` in that
attempt, the job is reset (``reset_for_retry``: a new attempt, back to ``pending``) and a
fresh scrape request is sent (a render failure is re-run from the scrape too, so a
fixed scraper also gets its chance); other readable messages are moved back as they are;
unreadable ones stay in the DLQ. ``--dry-run`` only counts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict, dataclass

from services.common.adapters.dynamo_job_store import DynamoJobStore
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.aws import aws_clients
from services.common.errors import ProductshotError, QueueOperationUnsupportedError
from services.common.job_states import JobStatus
from services.common.job_store import JobStore
from services.common.logging import configure_logging, get_logger
from services.common.messages import JobRef, parse_product_scraped, parse_scrape_request, scrape_request_body
from services.common.queue_message import QueueMessage
from services.common.settings import CommonSettings
from services.common.work_queue import DeadLetterMover, WorkQueue

__all__ = ["Redrive", "RedriveReport", "main"]

_log = get_logger(__name__)
_OUR_ATTRIBUTES = {"failureReason", "sourceQueue"}  # the consumer's notes on why it dead-lettered


@dataclass(slots=True)
class RedriveReport:
    method: str = "loop"
    moved: int = 0
    retried: int = 0  # failed jobs reset and re-sent
    kept: int = 0  # left in the DLQ (unreadable, or job gone)


class Redrive:
    def __init__(self, queues: WorkQueue, mover: DeadLetterMover, store: JobStore, *, queue: str,
                 scrape_queue: str) -> None:
        self._queues = queues
        self._mover = mover
        self._store = store
        self._queue = queue
        self._scrape_queue = scrape_queue

    async def run(self, *, retry_failed: bool, dry_run: bool, limit: int | None) -> RedriveReport:
        dlq = await self._queues.dead_letter_queue(self._queue)
        if dlq is None:
            raise RuntimeError(f"queue {self._queue} has no dead-letter queue")
        if dry_run:
            return RedriveReport(method="dry-run", kept=await self._mover.approximate_count(dlq))
        if not retry_failed and limit is None:
            try:
                moved = await self._mover.move_all(dlq, self._queue)
            except QueueOperationUnsupportedError as exc:
                _log.info("message_move_task_unavailable", error=str(exc))
            else:
                return RedriveReport(method="message-move-task", moved=moved)
        return await self._loop(dlq, retry_failed=retry_failed, limit=limit)

    async def _loop(self, dlq: str, *, retry_failed: bool, limit: int | None) -> RedriveReport:
        report = RedriveReport()
        while limit is None or report.moved + report.retried + report.kept < limit:
            # Kept messages stay invisible for the run, so the loop never sees one twice.
            batch = await self._queues.receive(
                dlq, max_messages=10, wait_seconds=1, visibility_timeout=300, with_attributes=True
            )
            if not batch:
                return report
            for message in batch:
                outcome = await self._one(message, retry_failed=retry_failed)
                setattr(report, outcome, getattr(report, outcome) + 1)
                if outcome != "kept":
                    await self._queues.delete(dlq, message.receipt_handle)
        return report

    async def _one(self, message: QueueMessage, *, retry_failed: bool) -> str:
        if retry_failed:
            ref = self._job_ref(message.body)
            if ref is None:
                return "kept"
            job = await self._store.get(ref.job_id)
            if job is None:
                return "kept"
            if job.status == JobStatus.FAILED and job.attempt == ref.attempt:
                job = await self._store.reset_for_retry(job.jobId, tenant=job.tenant)
                await self._queues.send(self._scrape_queue, scrape_request_body(job.jobId, job.attempt))
                _log.info("job_retried", jobId=job.jobId, attempt=job.attempt)
                return "retried"
        attributes = {k: v for k, v in message.attributes.items() if k not in _OUR_ATTRIBUTES}
        await self._queues.send(self._queue, message.body, attributes=attributes or None)
        return "moved"

    def _job_ref(self, body: str) -> JobRef | None:
        try:
            data = json.loads(body)
            return (
                parse_scrape_request(data)
                if self._queue == self._scrape_queue
                else parse_product_scraped(data)
            )
        except (ValueError, TypeError, AttributeError, ProductshotError):
            return None


async def main(argv: list[str] | None = None) -> RedriveReport:
    parser = argparse.ArgumentParser(
        prog="python -m services.ops.redrive", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--queue", required=True, help="the source queue, e.g. scrape-requests or render-requests"
    )
    parser.add_argument("--retry-failed", action="store_true", help="reset failed jobs and send them again")
    parser.add_argument("--max", type=int, default=None, help="handle at most this many messages")
    parser.add_argument("--dry-run", action="store_true", help="count the DLQ's messages, change nothing")
    args = parser.parse_args(argv)
    common = CommonSettings()
    configure_logging("redrive", common.log_level, common.log_format)
    async with aws_clients(common.aws_region, "sqs", "dynamodb") as aws:
        queues = SqsWorkQueue(aws.sqs)
        redrive = Redrive(
            queues,
            queues,
            DynamoJobStore(aws.dynamodb, common.jobs_table),
            queue=args.queue,
            scrape_queue=common.scrape_queue,
        )
        report = await redrive.run(retry_failed=args.retry_failed, dry_run=args.dry_run, limit=args.max)
    print(json.dumps(asdict(report)))
    return report


if __name__ == "__main__":
    asyncio.run(main())
