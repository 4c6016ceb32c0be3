"""An in-memory SQS client with the aiobotocore calls the consumer makes, for unit tests."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import EndpointConnectionError


@dataclass
class FakeMessage:
    body: str
    message_id: str
    receive_count: int = 0
    visible_at: float = 0.0
    receipt: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)


class FakeSqs:
    """Queues by name; ``down`` makes every call fail as an unreachable endpoint does."""

    def __init__(self) -> None:
        self.queues: dict[str, list[FakeMessage]] = {"work": [], "work-dlq": []}
        self.visibility_calls: list[tuple[str, int]] = []  # (message id, seconds)
        self.deleted: list[str] = []
        self.down = False
        self.fail_deletes = False
        self._ids = itertools.count(1)

    def _check(self) -> None:
        if self.down:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")

    def put(self, body: str, queue: str = "work") -> str:
        message_id = f"m{next(self._ids)}"
        self.queues[queue].append(FakeMessage(body=body, message_id=message_id))
        return message_id

    def _find(self, receipt: str) -> FakeMessage:
        for messages in self.queues.values():
            for m in messages:
                if m.receipt == receipt:
                    return m
        raise KeyError(receipt)

    async def get_queue_url(self, QueueName: str) -> dict[str, Any]:  # noqa: N803 - the SDK's names
        self._check()
        return {"QueueUrl": f"http://sqs/{QueueName}"}

    async def get_queue_attributes(self, QueueUrl: str, AttributeNames: list[str]) -> dict[str, Any]:  # noqa: N803
        self._check()
        return {
            "Attributes": {
                "RedrivePolicy": '{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:0:work-dlq",'
                '"maxReceiveCount": 3}'
            }
        }

    async def receive_message(
        self,
        QueueUrl: str,
        MaxNumberOfMessages: int,
        WaitTimeSeconds: int,  # noqa: N803
        VisibilityTimeout: int,
        **_: Any,
    ) -> dict[str, Any]:
        self._check()
        deadline = time.monotonic() + WaitTimeSeconds
        while True:
            now = time.monotonic()
            ready = [m for m in self.queues["work"] if m.visible_at <= now][:MaxNumberOfMessages]
            if ready or now >= deadline:
                break
            await asyncio.sleep(0.01)
        out = []
        for m in ready:
            m.receive_count += 1
            m.visible_at = now + VisibilityTimeout
            m.receipt = f"{m.message_id}-r{m.receive_count}"
            out.append(
                {
                    "MessageId": m.message_id,
                    "ReceiptHandle": m.receipt,
                    "Body": m.body,
                    "Attributes": {"ApproximateReceiveCount": str(m.receive_count)},
                }
            )
        return {"Messages": out} if out else {}

    async def delete_message(self, QueueUrl: str, ReceiptHandle: str) -> None:  # noqa: N803
        self._check()
        if self.fail_deletes:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
        m = self._find(ReceiptHandle)
        self.queues["work"].remove(m)
        self.deleted.append(m.message_id)

    async def change_message_visibility(
        self,
        QueueUrl: str,
        ReceiptHandle: str,  # noqa: N803
        VisibilityTimeout: int,
    ) -> None:
        self._check()
        m = self._find(ReceiptHandle)
        m.visible_at = time.monotonic() + VisibilityTimeout
        self.visibility_calls.append((m.message_id, VisibilityTimeout))

    async def send_message(
        self,
        QueueUrl: str,
        MessageBody: str,  # noqa: N803
        MessageAttributes: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        self._check()
        name = QueueUrl.rsplit("/", 1)[-1]
        message_id = self.put(MessageBody, name)
        self.queues[name][-1].attributes = MessageAttributes or {}
        return {"MessageId": message_id}
