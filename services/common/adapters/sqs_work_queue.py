"""The WorkQueue port on SQS: queue names in, message ids and ``QueueMessage``s out.

With ``batch_size`` > 1, plain sends from concurrent callers share SendMessageBatch calls
(``MicroBatcher``, one per queue): each caller awaits its own entry, as a lone send would.
Entries SQS refused on its own side (not the sender's) get one more try, since the SDK
retries failed calls but not refused entries.

With tracing on, every message carries its sender's span as a W3C ``traceparent`` string
attribute (services/common/tracing.py), and receives ask for that attribute.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from services.common.adapters.aws_errors import translated
from services.common.errors import (
    ProductshotError,
    QueueEntryInvalidError,
    QueueEntryRefusedError,
    QueueOperationUnsupportedError,
)
from services.common.logging import get_logger
from services.common.micro_batch import MAX_BATCH_BYTES, MAX_ENTRIES, MicroBatcher
from services.common.queue_message import DEFERRALS, QueueMessage
from services.common.tracing import TRACEPARENT, trace_headers

if TYPE_CHECKING:
    from types_aiobotocore_sqs.client import SQSClient

__all__ = ["SqsWorkQueue"]

_log = get_logger(__name__)
_UNSUPPORTED = {
    code: QueueOperationUnsupportedError
    for code in ("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", "InvalidAction",
                 "UnknownOperationException", "NotImplemented", "InternalFailure")
}


def _attribute_values(attributes: Mapping[str, str]) -> dict[str, Any]:
    return {k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()}


def _message(raw: Mapping[str, Any]) -> QueueMessage:
    attrs = raw.get("Attributes", {})
    sent = attrs.get("SentTimestamp")
    return QueueMessage(
        message_id=raw["MessageId"],
        receipt_handle=raw["ReceiptHandle"],
        body=raw.get("Body", ""),
        receive_count=int(attrs.get("ApproximateReceiveCount", "1")),
        sent_at=int(sent) / 1000 if sent else None,
        attributes={k: str(v.get("StringValue", "")) for k, v in raw.get("MessageAttributes", {}).items()},
    )


def _entry_size(item: tuple[str, dict[str, str]]) -> int:
    # SQS counts attribute names, types and values against the 256 KB batch too.
    body, attributes = item
    return len(body.encode()) + sum(len(k) + len(v) + 6 for k, v in attributes.items())


def _refused(failed: Mapping[str, Any]) -> ProductshotError:
    code, text = str(failed.get("Code", "")), str(failed.get("Message", ""))
    reason = f"SendMessageBatch refused the entry: {code} {text}".strip()
    return QueueEntryInvalidError(reason, code) if failed.get("SenderFault") else QueueEntryRefusedError(reason, code)


class SqsWorkQueue:
    def __init__(self, sqs: SQSClient, *, batch_size: int = 1, linger: float = 0.003) -> None:
        self._sqs = sqs
        self._batch_size = min(batch_size, MAX_ENTRIES)
        self._linger = linger
        self._urls: dict[str, str] = {}
        self._batchers: dict[str, MicroBatcher[tuple[str, dict[str, str]], str]] = {}

    @property
    def calls(self) -> int:
        """SendMessageBatch calls made by the batching so far (for tests and the bench's log line)."""
        return sum(b.calls for b in self._batchers.values())

    @property
    def items(self) -> int:
        return sum(b.items for b in self._batchers.values())

    async def _url(self, queue: str) -> str:
        if queue not in self._urls:
            with translated(f"queue {queue}"):
                self._urls[queue] = (await self._sqs.get_queue_url(QueueName=queue))["QueueUrl"]
        return self._urls[queue]

    async def _attributes(self, queue: str, names: list[Any]) -> dict[str, str]:
        url = await self._url(queue)
        with translated(f"queue {queue}"):
            result = await self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)
        attributes: Any = result.get("Attributes", {})
        return {str(k): v for k, v in attributes.items()}

    async def check(self, queue: str) -> None:
        with translated(f"queue {queue}"):
            await self._sqs.get_queue_url(QueueName=queue)

    async def send(
        self, queue: str, body: str, *, attributes: Mapping[str, str] | None = None, delay_seconds: int = 0
    ) -> str:
        traced = trace_headers()
        if attributes or delay_seconds or self._batch_size <= 1:
            url = await self._url(queue)
            extra: dict[str, Any] = {"DelaySeconds": delay_seconds} if delay_seconds else {}
            if attributes or traced:
                extra["MessageAttributes"] = _attribute_values({**(attributes or {}), **traced})
            with translated(f"queue {queue}"):
                result = await self._sqs.send_message(QueueUrl=url, MessageBody=body, **extra)
            return str(result["MessageId"])
        batcher = self._batchers.get(queue)
        if batcher is None:
            batcher = self._batchers[queue] = MicroBatcher(
                partial(self._send_batch, queue), max_size=self._batch_size, linger=self._linger,
                max_bytes=MAX_BATCH_BYTES, size_of=_entry_size,
            )
        return await batcher.submit((body, traced))

    async def send_batch(self, queue: str, bodies: Sequence[str]) -> list[str | ProductshotError]:
        traced = trace_headers()
        results = await self._send_batch(queue, [(body, traced) for body in bodies])
        return [r if isinstance(r, str | ProductshotError) else QueueEntryRefusedError(str(r), "") for r in results]

    async def _send_batch(self, queue: str, items: list[tuple[str, dict[str, str]]]) -> list[str | BaseException]:
        url = await self._url(queue)
        entries: list[dict[str, Any]] = [{"Id": str(i), "MessageBody": body} for i, (body, _) in enumerate(items)]
        for entry, (_, traced) in zip(entries, items, strict=True):
            if traced:
                entry["MessageAttributes"] = _attribute_values(traced)
        outcome: dict[str, str | BaseException] = {}
        todo = entries
        for _ in range(2):
            with translated(f"queue {queue}"):
                result = await self._sqs.send_message_batch(QueueUrl=url, Entries=todo)  # type: ignore[arg-type]
            for ok in result.get("Successful", []):
                outcome[ok["Id"]] = ok["MessageId"]
            for failed in result.get("Failed", []):
                outcome[failed["Id"]] = _refused(failed)
            retry = {f["Id"] for f in result.get("Failed", []) if not f.get("SenderFault", False)}
            todo = [entry for entry in todo if entry["Id"] in retry]
            if not todo:
                break
        missing = QueueEntryRefusedError("SendMessageBatch gave no result for the entry", "MissingEntryResult")
        return [outcome.get(entry["Id"], missing) for entry in entries]

    async def receive(
        self, queue: str, *, max_messages: int, wait_seconds: int, visibility_timeout: int,
        with_attributes: bool = False,
    ) -> list[QueueMessage]:
        url = await self._url(queue)
        with translated(f"queue {queue}"):
            result = await self._sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=max_messages, WaitTimeSeconds=wait_seconds,
                VisibilityTimeout=visibility_timeout,
                MessageSystemAttributeNames=["ApproximateReceiveCount", "SentTimestamp"],
                MessageAttributeNames=["All"] if with_attributes else [TRACEPARENT, DEFERRALS],
            )
        return [_message(raw) for raw in result.get("Messages", [])]

    async def delete(self, queue: str, receipt_handle: str) -> None:
        url = await self._url(queue)
        with translated(f"queue {queue}"):
            await self._sqs.delete_message(QueueUrl=url, ReceiptHandle=receipt_handle)

    async def change_visibility(self, queue: str, receipt_handle: str, seconds: int) -> None:
        url = await self._url(queue)
        with translated(f"queue {queue}"):
            await self._sqs.change_message_visibility(
                QueueUrl=url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
            )

    async def dead_letter_queue(self, queue: str) -> str | None:
        policy = (await self._attributes(queue, ["RedrivePolicy"])).get("RedrivePolicy")
        if not policy:
            return None
        return str(json.loads(policy)["deadLetterTargetArn"]).rsplit(":", 1)[-1]

    async def approximate_count(self, queue: str) -> int:
        return int((await self._attributes(queue, ["ApproximateNumberOfMessages"]))["ApproximateNumberOfMessages"])

    async def move_all(self, source: str, destination: str) -> int:
        """An SQS message move task; ``QueueOperationUnsupportedError`` where the endpoint lacks it."""
        source_arn = (await self._attributes(source, ["QueueArn"]))["QueueArn"]
        destination_arn = (await self._attributes(destination, ["QueueArn"]))["QueueArn"]
        with translated("message move task", _UNSUPPORTED):
            task = await self._sqs.start_message_move_task(SourceArn=source_arn, DestinationArn=destination_arn)
        _log.info("message_move_task_started", handle=task.get("TaskHandle"))
        while True:
            await asyncio.sleep(0.5)
            with translated("message move task"):
                tasks = (await self._sqs.list_message_move_tasks(SourceArn=source_arn, MaxResults=1))["Results"]
            current: Mapping[str, Any] = tasks[0] if tasks else {}
            if current.get("Status") in ("COMPLETED", "FAILED", "CANCELLED"):
                if current["Status"] != "COMPLETED":
                    raise RuntimeError(f"message move task {current['Status']}: {current.get('FailureReason')}")
                return int(current.get("ApproximateNumberOfMessagesMoved", 0))

    async def aclose(self) -> None:
        """Send what is waiting and wait for the calls in flight (the process's shutdown)."""
        for queue, batcher in self._batchers.items():
            await batcher.aclose()
            _log.info("handoff_batches", api="SendMessageBatch", queue=queue, calls=batcher.calls, items=batcher.items)
