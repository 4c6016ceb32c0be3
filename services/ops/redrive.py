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
from typing import Any

from botocore.exceptions import ClientError

from services.common.aws import aws_clients
from services.common.errors import ProductshotError
from services.common.job_states import JobStatus
from services.common.job_store import DynamoJobStore, JobStore
from services.common.logging import configure_logging, get_logger
from services.common.messages import JobRef, parse_product_scraped, parse_scrape_request, scrape_request_body
from services.common.settings import CommonSettings

__all__ = ["Redrive", "RedriveReport", "main"]

_log = get_logger(__name__)
_UNSUPPORTED = {
    "UnsupportedOperation",
    "AWS.SimpleQueueService.UnsupportedOperation",
    "InvalidAction",
    "UnknownOperationException",
    "NotImplemented",
    "InternalFailure",
}
_OUR_ATTRIBUTES = {"failureReason", "sourceQueue"}  # the consumer's notes on why it dead-lettered


@dataclass(slots=True)
class RedriveReport:
    method: str = "loop"
    moved: int = 0
    retried: int = 0  # failed jobs reset and re-sent
    kept: int = 0  # left in the DLQ (unreadable, or job gone)


class Redrive:
    def __init__(self, sqs: Any, store: JobStore, *, queue: str, scrape_queue: str) -> None:
        self._sqs = sqs
        self._store = store
        self._queue = queue
        self._scrape_queue = scrape_queue

    async def _urls(self) -> tuple[str, str, str, str]:
        source = (await self._sqs.get_queue_url(QueueName=self._queue))["QueueUrl"]
        attrs = await self._sqs.get_queue_attributes(
            QueueUrl=source, AttributeNames=["QueueArn", "RedrivePolicy"]
        )
        attrs = attrs["Attributes"]
        dlq_arn = json.loads(attrs["RedrivePolicy"])["deadLetterTargetArn"]
        dlq = (await self._sqs.get_queue_url(QueueName=dlq_arn.rsplit(":", 1)[-1]))["QueueUrl"]
        return source, attrs["QueueArn"], dlq, dlq_arn

    async def run(self, *, retry_failed: bool, dry_run: bool, limit: int | None) -> RedriveReport:
        source, source_arn, dlq, dlq_arn = await self._urls()
        if dry_run:
            attrs = await self._sqs.get_queue_attributes(
                QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"]
            )
            return RedriveReport(
                method="dry-run", kept=int(attrs["Attributes"]["ApproximateNumberOfMessages"])
            )
        if not retry_failed and limit is None:
            moved = await self._move_task(dlq_arn, source_arn)
            if moved is not None:
                return RedriveReport(method="message-move-task", moved=moved)
        return await self._loop(source, dlq, retry_failed=retry_failed, limit=limit)

    async def _move_task(self, dlq_arn: str, source_arn: str) -> int | None:
        """SQS moves the messages itself; None when this endpoint cannot."""
        try:
            task = await self._sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=source_arn)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _UNSUPPORTED:
                _log.info("message_move_task_unavailable", error=str(exc))
                return None
            raise
        _log.info("message_move_task_started", handle=task.get("TaskHandle"))
        while True:
            await asyncio.sleep(0.5)
            tasks = (await self._sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=1))["Results"]
            current = tasks[0] if tasks else {}
            if current.get("Status") in ("COMPLETED", "FAILED", "CANCELLED"):
                if current["Status"] != "COMPLETED":
                    raise RuntimeError(
                        f"message move task {current['Status']}: {current.get('FailureReason')}"
                    )
                return int(current.get("ApproximateNumberOfMessagesMoved", 0))

    async def _loop(self, source: str, dlq: str, *, retry_failed: bool, limit: int | None) -> RedriveReport:
        report = RedriveReport()
        scrape_url = (await self._sqs.get_queue_url(QueueName=self._scrape_queue))["QueueUrl"]
        while limit is None or report.moved + report.retried + report.kept < limit:
            # Kept messages stay invisible for the run, so the loop never sees one twice.
            batch = (
                await self._sqs.receive_message(
                    QueueUrl=dlq,
                    MaxNumberOfMessages=10,
                    WaitTimeSeconds=1,
                    VisibilityTimeout=300,
                    MessageAttributeNames=["All"],
                )
            ).get("Messages", [])
            if not batch:
                return report
            for message in batch:
                outcome = await self._one(message, source, scrape_url, retry_failed=retry_failed)
                setattr(report, outcome, getattr(report, outcome) + 1)
                if outcome != "kept":
                    await self._sqs.delete_message(QueueUrl=dlq, ReceiptHandle=message["ReceiptHandle"])
        return report

    async def _one(self, message: dict[str, Any], source: str, scrape_url: str, *, retry_failed: bool) -> str:
        if retry_failed:
            ref = self._job_ref(message["Body"])
            if ref is None:
                return "kept"
            job = await self._store.get(ref.job_id)
            if job is None:
                return "kept"
            if job.status == JobStatus.FAILED and job.attempt == ref.attempt:
                job = await self._store.reset_for_retry(job.jobId, tenant=job.tenant)
                await self._sqs.send_message(
                    QueueUrl=scrape_url, MessageBody=scrape_request_body(job.jobId, job.attempt)
                )
                _log.info("job_retried", jobId=job.jobId, attempt=job.attempt)
                return "retried"
        attributes = {
            k: v for k, v in message.get("MessageAttributes", {}).items() if k not in _OUR_ATTRIBUTES
        }
        await self._sqs.send_message(
            QueueUrl=source,
            MessageBody=message["Body"],
            **({"MessageAttributes": attributes} if attributes else {}),
        )
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
        redrive = Redrive(
            aws.sqs,
            DynamoJobStore(aws.dynamodb, common.jobs_table),
            queue=args.queue,
            scrape_queue=common.scrape_queue,
        )
        report = await redrive.run(retry_failed=args.retry_failed, dry_run=args.dry_run, limit=args.max)
    print(json.dumps(asdict(report)))
    return report


if __name__ == "__main__":
    asyncio.run(main())
