"""The micro-batched hand-offs: size and linger flushes, per-entry outcomes, and the 503 they lead to.

The batching is the queue and publisher adapters' own (``batch_size`` > 1); ``BatchSqs`` and
``BatchEvents`` stand in for the SDK clients under them.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.errors import QueueEntryInvalidError, QueueEntryRefusedError, TransientError
from services.common.events import DetailType, build_detail
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.job_submitter import JobSubmitter, QueueUnavailableError
from services.common.micro_batch import MicroBatcher
from tests.fakes import InMemoryJobStore, InMemoryWorkQueue, RecordingPublisher

QUEUE = "scrape-requests"


class BatchSqs:
    """send_message_batch that records each call and refuses the bodies in ``refuse`` (per entry)."""

    def __init__(self, refuse: set[str] | None = None, down: bool = False, sender_fault: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.refuse = refuse or set()
        self.down = down
        self.sender_fault = sender_fault

    async def get_queue_url(self, QueueName: str) -> dict[str, str]:  # noqa: N803 - boto's names
        return {"QueueUrl": f"https://sqs.local/{QueueName}"}

    async def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, str]]) -> dict[str, Any]:  # noqa: N803
        self.calls.append([e["MessageBody"] for e in Entries])
        if self.down:
            raise EndpointConnectionError(endpoint_url=QueueUrl)
        ok = [e for e in Entries if not any(r in e["MessageBody"] for r in self.refuse)]
        bad = [e for e in Entries if e not in ok]
        return {
            "Successful": [{"Id": e["Id"], "MessageId": f"m-{e['Id']}"} for e in ok],
            "Failed": [
                {"Id": e["Id"], "SenderFault": self.sender_fault, "Code": "InternalError", "Message": "try again"}
                for e in bad
            ],
        }


class BatchEvents:
    """put_events that answers entry by entry and fails the entries whose detail has ``refuse``."""

    def __init__(self, refuse: str | None = None) -> None:
        self.calls: list[list[dict[str, Any]]] = []
        self.refuse = refuse

    async def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803
        self.calls.append(Entries)
        answers = [
            {"ErrorCode": "InternalFailure", "ErrorMessage": "boom"}
            if self.refuse and self.refuse in e["Detail"]
            else {"EventId": f"e{i}"}
            for i, e in enumerate(Entries)
        ]
        return {"FailedEntryCount": sum("ErrorCode" in a for a in answers), "Entries": answers}


class Sender:
    """A batch `send` for MicroBatcher: records each batch and answers item by item with
    `answer(item)`; a batch equal to `hold` waits for `release` (a call still in flight)."""

    def __init__(self, hold: list[Any] | None = None, answer: Any = lambda item: item) -> None:
        self.sent: list[list[Any]] = []
        self.release = asyncio.Event()
        self._hold, self._answer = hold, answer

    async def __call__(self, items: list[Any]) -> list[Any]:
        self.sent.append(items)
        if items == self._hold:
            await self.release.wait()
        return [self._answer(item) for item in items]


async def in_flight(
    item: Any, linger: float, answer: Any = lambda item: item
) -> tuple[Sender, MicroBatcher[Any, Any], asyncio.Task[Any]]:
    """A batcher (batches of 10) whose call carrying `item` alone is still out, until
    `send.release` is set; the task awaiting it."""
    send = Sender(hold=[item], answer=answer)
    batcher: MicroBatcher[Any, Any] = MicroBatcher(send, max_size=10, linger=linger)
    busy = asyncio.create_task(batcher.submit(item))
    await asyncio.sleep(0.005)
    return send, batcher, busy


async def test_a_full_batch_leaves_at_once_without_waiting_for_the_linger() -> None:
    send, batcher, busy = await in_flight(-1, 30.0, answer=lambda i: i * 10)  # the others must linger
    sent, release = send.sent, send.release
    started = time.monotonic()
    results = await asyncio.wait_for(asyncio.gather(*(batcher.submit(i) for i in range(20))), 1)
    assert time.monotonic() - started < 1
    assert results == [i * 10 for i in range(20)]
    assert sent[1:] == [list(range(10)), list(range(10, 20))]  # two full batches, each left on size
    rest = [asyncio.create_task(batcher.submit(i)) for i in range(20, 25)]
    await asyncio.sleep(0.01)
    assert not any(t.done() for t in rest)  # five are waiting for company ...
    release.set()
    await asyncio.wait_for(batcher.aclose(), 1)  # ... and leave on close (shutdown), not after 30 s
    assert sent[3] == list(range(20, 25)) and [t.result() for t in rest] == [i * 10 for i in range(20, 25)]
    assert await busy == -10


async def test_an_idle_batcher_sends_a_lone_item_at_once_without_lingering() -> None:
    send = Sender()
    sent = send.sent
    batcher: MicroBatcher[str, str] = MicroBatcher(send, max_size=10, linger=30.0)
    assert await asyncio.wait_for(batcher.submit("alone"), 1) == "alone"
    # those that arrive in the same loop turn still go together
    assert await asyncio.wait_for(asyncio.gather(batcher.submit("a"), batcher.submit("b")), 1) == ["a", "b"]
    assert sent == [["alone"], ["a", "b"]]


async def test_while_a_call_is_in_flight_a_partial_batch_waits_the_linger_for_batch_mates() -> None:
    send, batcher, slow = await in_flight("slow", 0.05)
    sent, release = send.sent, send.release
    assert sent == [["slow"]]  # in flight now
    first = asyncio.create_task(batcher.submit("a"))
    await asyncio.sleep(0.01)
    assert sent == [["slow"]] and not first.done()  # lingering
    second = asyncio.create_task(batcher.submit("b"))
    assert await asyncio.wait_for(asyncio.gather(first, second), 1) == ["a", "b"]
    assert sent == [["slow"], ["a", "b"]]  # left after the linger, while "slow" was still out
    release.set()
    assert await slow == "slow"


async def test_a_batch_stays_under_the_byte_cap() -> None:
    send = Sender()
    sent = send.sent
    batcher: MicroBatcher[str, str] = MicroBatcher(send, max_size=10, linger=0.01, max_bytes=10, size_of=len)
    await asyncio.gather(*(batcher.submit(s) for s in ["aaaa", "bbbb", "cccc", "dd"]))
    assert sent == [["aaaa", "bbbb"], ["cccc", "dd"]]


async def test_a_caller_that_gave_up_before_its_batch_left_is_not_sent() -> None:
    send, batcher, busy = await in_flight("busy", 0.05)
    sent, release = send.sent, send.release
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(batcher.submit("late"), 0.01)
    assert await batcher.submit("kept") == "kept"
    assert sent == [["busy"], ["kept"]]
    release.set()
    await busy


async def test_sqs_an_entry_refused_in_the_batch_fails_only_its_own_caller() -> None:
    sqs = BatchSqs(refuse={"bad"})
    batching = SqsWorkQueue(sqs, batch_size=10, linger=0.01)  # type: ignore[arg-type]
    results = await asyncio.gather(
        *(batching.send(QUEUE, body) for body in ["ok1", "bad", "ok2"]),
        return_exceptions=True,
    )
    # SQS's own failure (not the sender's) is tried once more, alone, then given up
    assert sqs.calls == [["ok1", "bad", "ok2"], ["bad"]]
    assert results[0] == "m-0" and results[2] == "m-2"
    assert isinstance(results[1], QueueEntryRefusedError) and results[1].code == "InternalError"


async def test_sqs_an_entry_refused_once_by_sqs_itself_is_sent_again_and_succeeds() -> None:
    class Flaky(BatchSqs):
        async def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, str]]) -> dict[str, Any]:  # noqa: N803
            self.refuse = {"flaky"} if not self.calls else set()
            return await super().send_message_batch(QueueUrl=QueueUrl, Entries=Entries)

    sqs = Flaky()
    batching = SqsWorkQueue(sqs, batch_size=10)  # type: ignore[arg-type]
    results = await asyncio.gather(*(batching.send(QUEUE, b) for b in ["a", "flaky"]))
    assert sqs.calls == [["a", "flaky"], ["flaky"]] and results[1] == "m-1"


async def test_sqs_an_entry_refused_as_the_senders_fault_is_not_sent_again() -> None:
    sqs = BatchSqs(refuse={"bad"}, sender_fault=True)
    batching = SqsWorkQueue(sqs, batch_size=10)  # type: ignore[arg-type]
    results = await asyncio.gather(*(batching.send(QUEUE, b) for b in ["ok", "bad"]), return_exceptions=True)
    assert sqs.calls == [["ok", "bad"]] and isinstance(results[1], QueueEntryInvalidError)


async def test_sqs_a_failed_call_fails_every_entry_of_its_batch() -> None:
    batching = SqsWorkQueue(BatchSqs(down=True), batch_size=10, linger=0.01)  # type: ignore[arg-type]
    results = await asyncio.gather(*(batching.send(QUEUE, str(i)) for i in range(3)), return_exceptions=True)
    # The SDK's error, translated once by the adapter: transient, with the cause kept.
    assert all(isinstance(r, TransientError) and isinstance(r.__cause__, EndpointConnectionError) for r in results)


async def test_sqs_batch_size_one_sends_each_message_alone() -> None:
    class Single:
        sent: list[str] = []

        async def get_queue_url(self, QueueName: str) -> dict[str, str]:  # noqa: N803 - boto's names
            return {"QueueUrl": f"https://sqs.local/{QueueName}"}

        async def send_message(self, QueueUrl: str, MessageBody: str) -> dict[str, str]:  # noqa: N803
            self.sent.append(MessageBody)
            return {"MessageId": MessageBody}

    client = Single()
    batching = SqsWorkQueue(client, batch_size=1)  # type: ignore[arg-type]
    assert await batching.send(QUEUE, "x") == "x"
    assert client.sent == ["x"]


async def test_events_an_entry_refused_in_the_batch_is_a_transient_error_for_its_publisher_only() -> None:
    jobs = [Job.new(ttl_hours=1, productUrl="https://shop.example.com/p/1", tenant="acme") for _ in range(4)]
    events = BatchEvents(refuse=jobs[2].jobId)
    publisher = EventBridgePublisher(events, "productshot", batch_size=10, linger=0.01)  # type: ignore[arg-type]

    async def announce(job: Job) -> None:
        detail = build_detail(
            DetailType.JOB_ACCEPTED,
            job,
            {"productUrl": job.productUrl, "mode": "scrape",
             "options": {"formats": ["square"], "output": "jpeg", "style": "studio"}},
        )
        await publisher.publish(DetailType.JOB_ACCEPTED, detail, source="productshot.api")

    results = await asyncio.gather(*(announce(job) for job in jobs), return_exceptions=True)
    assert len(events.calls) == 1 and len(events.calls[0]) == 4
    assert [type(r).__name__ for r in results] == ["NoneType", "NoneType", "TransientError", "NoneType"]
    assert "InternalFailure" in str(results[2])


async def test_submitter_the_job_whose_queue_entry_was_refused_is_failed_and_503_its_batch_mates_run() -> None:
    """Three concurrent submissions share one SendMessageBatch; the refused one is failed (-> 503)."""
    store, publisher = InMemoryJobStore(), RecordingPublisher()
    sqs = BatchSqs()
    submitter = JobSubmitter(
        store=store, publisher=publisher, queue=SqsWorkQueue(sqs, batch_size=10, linger=0.02),  # type: ignore[arg-type]
        scrape_queue=QUEUE, ttl_hours=1,
    )
    ids = ["00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b",
           "00000000-0000-4000-8000-00000000000c"]
    sqs.refuse = {ids[1]}
    results = await asyncio.gather(
        *(submitter.submit_url("https://shop.example.com/p/1", tenant="acme", job_id=i) for i in ids),
        return_exceptions=True,
    )
    assert len(sqs.calls[0]) == 3 and len(sqs.calls) == 2  # one batch, then the refused entry once more
    assert isinstance(results[1], QueueUnavailableError)
    assert [store.jobs[i].status for i in ids] == [JobStatus.PENDING, JobStatus.FAILED, JobStatus.PENDING]
    assert store.jobs[ids[1]].error == {
        "stage": "queued",
        "reason": "the job could not be queued; please submit it again",
        "code": "queue_unavailable",
    }
    await submitter.aclose()  # JobAccepted leaves after the 202
    accepted = [d["jobId"] for t, d, _ in publisher.events if t == DetailType.JOB_ACCEPTED]
    failed = [d["jobId"] for t, d, _ in publisher.events if t == DetailType.JOB_FAILED]
    assert sorted(accepted) == [ids[0], ids[2]] and failed == [ids[1]]


async def test_submitter_answers_before_job_accepted_is_published_and_close_waits_for_it() -> None:
    """A slow JobAccepted does not hold the client; aclose() lets the pending one finish."""
    store, sqs = InMemoryJobStore(), InMemoryWorkQueue()
    gate = asyncio.Event()

    class SlowPublisher(RecordingPublisher):
        async def publish(self, detail_type: Any, detail: Any, *, source: str) -> None:
            await gate.wait()
            await super().publish(detail_type, detail, source=source)

    publisher = SlowPublisher()
    submitter = JobSubmitter(store=store, publisher=publisher, queue=sqs, scrape_queue=QUEUE, ttl_hours=1)
    job = await asyncio.wait_for(submitter.submit_url("https://shop.example.com/p/1", tenant="acme"), 1)
    assert store.jobs[job.jobId].status == JobStatus.PENDING and publisher.events == []
    gate.set()
    await submitter.aclose()
    assert [(t, d["jobId"]) for t, d, _ in publisher.events] == [(DetailType.JOB_ACCEPTED, job.jobId)]
