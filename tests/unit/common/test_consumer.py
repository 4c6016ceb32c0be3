"""The consumer runtime against the in-memory work queue: acks, retries, dead letters, heartbeats, shutdown."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from services.common.consumer import ConsumerConfig, QueueMessage, SqsConsumer, backoff_delay
from services.common.errors import MalformedMessageError, PermanentError, TransientError
from tests.fakes import InMemoryWorkQueue

Behaviour = Callable[[QueueMessage], Awaitable[None]]


class ScriptedHandler:
    """Runs ``behaviours[body["do"]]`` for each message and records what happened."""

    def __init__(self, behaviours: dict[str, Behaviour]) -> None:
        self.behaviours = behaviours
        self.handled: list[str] = []
        self.failures: list[tuple[str, str]] = []
        self.running = 0
        self.max_running = 0

    async def handle(self, message: QueueMessage) -> None:
        data = message.json()
        if "do" not in data:
            raise MalformedMessageError("no 'do' field")
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            await self.behaviours[data["do"]](message)
        finally:
            self.running -= 1
        self.handled.append(message.message_id)

    async def on_failure(self, message: QueueMessage, error: Exception) -> None:
        self.failures.append((message.message_id, str(error)))


async def ok(_: QueueMessage) -> None:
    await asyncio.sleep(0.01)


async def permanent(_: QueueMessage) -> None:
    raise PermanentError("no product on the page")


async def transient(_: QueueMessage) -> None:
    raise TransientError("upstream 503")


def config(**overrides: object) -> ConsumerConfig:
    base: dict[str, object] = {
        "queue_name": "work",
        "visibility_timeout": 30,
        "max_receive_count": 3,
        "max_in_flight": 10,
        "wait_time_seconds": 0,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
        "shutdown_deadline": 1.0,
    }
    base.update(overrides)
    return ConsumerConfig(**base)  # type: ignore[arg-type]


async def wait_until(done: Callable[[], bool], within: float = 5.0) -> None:
    for _ in range(int(within / 0.01)):
        if done():
            return
        await asyncio.sleep(0.01)


async def run_until(consumer: SqsConsumer, done: Callable[[], bool], within: float = 5.0) -> asyncio.Event:
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    await wait_until(done, within)
    stop.set()
    await asyncio.wait_for(task, timeout=10)
    assert done(), "condition not reached before the timeout"
    return stop


def work_queue() -> InMemoryWorkQueue:
    """The shared in-memory queue, with ``work`` dead-lettering to ``work-dlq``."""
    return InMemoryWorkQueue(dead_letter={"work": "work-dlq"})


def body(do: str) -> str:
    return json.dumps({"do": do})


async def test_handled_messages_are_deleted() -> None:
    """A message whose handler returns is deleted, exactly once."""
    sqs, handler = work_queue(), ScriptedHandler({"ok": ok})
    ids = [sqs.put(body("ok")) for _ in range(5)]
    await run_until(SqsConsumer(sqs, handler, config()), lambda: len(sqs.deleted) == 5)
    assert sorted(sqs.deleted) == sorted(ids) and sqs.queues["work"] == []


async def test_one_failure_does_not_redeliver_its_batch_mates() -> None:
    """In one received batch, a transient failure delays only its own message."""
    sqs, handler = work_queue(), ScriptedHandler({"ok": ok, "flaky": transient})
    good = [sqs.put(body("ok")) for _ in range(3)]
    bad = sqs.put(body("flaky"))
    await run_until(
        SqsConsumer(sqs, handler, config(backoff_base=30, backoff_max=30)),
        lambda: len(sqs.deleted) == 3 and bool(sqs.visibility_calls),
    )
    assert sorted(sqs.deleted) == sorted(good)
    assert [mid for mid, _ in sqs.visibility_calls] == [bad]
    assert sqs.visibility_calls[0][1] >= 15  # the growing delay, not an immediate retry
    assert [m.message_id for m in sqs.queues["work"]] == [bad]


async def test_permanent_error_fails_the_job_and_acknowledges() -> None:
    """A permanent error calls on_failure with the reason and deletes the message; no retry."""
    sqs, handler = work_queue(), ScriptedHandler({"bad": permanent})
    mid = sqs.put(body("bad"))
    await run_until(SqsConsumer(sqs, handler, config()), lambda: sqs.deleted == [mid])
    assert handler.failures == [(mid, "no product on the page")]
    assert sqs.queues["work-dlq"] == []


async def test_transient_errors_retry_then_dead_letter_with_the_last_reason() -> None:
    """A message that keeps failing is retried with backoff; on its last receive the job is
    failed with the last reason and the message lands in the DLQ carrying that reason."""
    sqs, handler = work_queue(), ScriptedHandler({"flaky": transient})
    mid = sqs.put(body("flaky"))
    await run_until(SqsConsumer(sqs, handler, config()), lambda: bool(sqs.queues["work-dlq"]))
    assert [m.message_id for m in sqs.queues["work"]] == []
    assert len(sqs.visibility_calls) == 2  # receives 1 and 2 were delayed, receive 3 gave up
    assert handler.failures and handler.failures[0][0] == mid and "upstream 503" in handler.failures[0][1]
    dead = sqs.queues["work-dlq"][0]
    assert dead.body == body("flaky")
    assert "upstream 503" in dead.attributes["failureReason"]
    assert dead.attributes["sourceQueue"] == "work"


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '{"schema": 9}'])
async def test_malformed_messages_are_dead_lettered_and_the_loop_goes_on(raw: str) -> None:
    """Not JSON, not an object, missing fields: dead-lettered with a reason, next message handled."""
    sqs, handler = work_queue(), ScriptedHandler({"ok": ok})
    sqs.put(raw)
    good = sqs.put(body("ok"))
    await run_until(
        SqsConsumer(sqs, handler, config()),
        lambda: sqs.deleted.count(good) == 1 and len(sqs.queues["work-dlq"]) == 1,
    )
    assert sqs.queues["work-dlq"][0].body == raw
    assert sqs.queues["work-dlq"][0].attributes["failureReason"]
    assert handler.failures == []  # nothing to fail: the message names no job we can trust


async def test_heartbeat_extends_visibility_and_stops_with_the_work() -> None:
    """While a handler works, visibility is extended and the handler's callbacks run; after, silence."""
    sqs = work_queue()
    beats: list[float] = []

    async def slow(message: QueueMessage) -> None:
        async def beat() -> None:
            beats.append(time.monotonic())

        message.heartbeat_callbacks.append(beat)
        await asyncio.sleep(2.2)

    handler = ScriptedHandler({"slow": slow})
    mid = sqs.put(body("slow"))
    consumer = SqsConsumer(sqs, handler, config(visibility_timeout=2))
    await run_until(consumer, lambda: sqs.deleted == [mid])
    extensions = [s for m, s in sqs.visibility_calls if m == mid]
    assert len(extensions) >= 2 and set(extensions) == {2}
    assert len(beats) == len(extensions)
    count = len(sqs.visibility_calls)
    await asyncio.sleep(1.0)
    assert len(sqs.visibility_calls) == count


async def test_at_most_max_in_flight_messages_are_worked_on() -> None:
    """With 30 messages waiting, never more than max_in_flight handlers run at once."""
    sqs = work_queue()

    async def busy(_: QueueMessage) -> None:
        await asyncio.sleep(0.05)

    handler = ScriptedHandler({"busy": busy})
    for _ in range(30):
        sqs.put(body("busy"))
    await run_until(SqsConsumer(sqs, handler, config(max_in_flight=4)), lambda: len(sqs.deleted) == 30)
    assert handler.max_running == 4


async def test_stop_finishes_short_work_and_releases_the_rest_within_the_deadline() -> None:
    """On stop, work that ends within the deadline is acknowledged; the rest is released at
    once (visibility 0) and run() returns shortly after the deadline."""
    sqs = work_queue()

    async def short(_: QueueMessage) -> None:
        await asyncio.sleep(0.3)

    async def endless(_: QueueMessage) -> None:
        await asyncio.sleep(60)

    handler = ScriptedHandler({"short": short, "endless": endless})
    quick, stuck = sqs.put(body("short")), sqs.put(body("endless"))
    consumer = SqsConsumer(sqs, handler, config(shutdown_deadline=1.0))
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    await wait_until(lambda: handler.running == 2)
    started = time.monotonic()
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    assert time.monotonic() - started < 1.5
    assert sqs.deleted == [quick]
    assert (stuck, 0) in sqs.visibility_calls
    assert [m.message_id for m in sqs.queues["work"]] == [stuck]


async def test_an_unreachable_endpoint_never_ends_the_loop() -> None:
    """Receives failing (endpoint down) make the loop back off and carry on when it returns."""
    sqs, handler = work_queue(), ScriptedHandler({"ok": ok})
    sqs.down = True
    mid = sqs.put(body("ok"))
    stop = asyncio.Event()
    task = asyncio.create_task(SqsConsumer(sqs, handler, config()).run(stop))
    await asyncio.sleep(1.0)
    assert not task.done() and sqs.deleted == []
    sqs.down = False
    await wait_until(lambda: sqs.deleted == [mid], within=10)
    stop.set()
    await task
    assert sqs.deleted == [mid]


async def test_a_failed_delete_leaves_the_message_for_redelivery() -> None:
    """When the delete after success fails, the task logs it and the message comes back later."""
    sqs, handler = work_queue(), ScriptedHandler({"ok": ok})
    sqs.fail_deletes = True
    sqs.put(body("ok"))
    consumer = SqsConsumer(sqs, handler, config(visibility_timeout=1))
    await run_until(consumer, lambda: len(handler.handled) >= 2)
    assert sqs.queues["work"][0].receive_count >= 2


async def test_the_health_file_is_touched_while_the_loop_turns(tmp_path: Path) -> None:
    """Every turn of the loop (even while polls fail) refreshes the health file."""
    sqs, handler = work_queue(), ScriptedHandler({})
    health = tmp_path / "health"
    sqs.down = True
    consumer = SqsConsumer(sqs, handler, config(health_file=health))
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    await asyncio.sleep(0.3)
    first = health.stat().st_mtime
    await asyncio.sleep(1.2)
    stop.set()
    await task
    assert health.stat().st_mtime > first


def test_backoff_grows_and_honours_retry_after() -> None:
    """Delays grow with the receive count up to the cap, and never undercut Retry-After."""
    assert all(2**n <= backoff_delay(n, 4, 1000) <= 2 ** (n + 1) for n in (1, 2, 3, 4) for _ in range(20))
    assert all(backoff_delay(9, 4, 30) <= 30 for _ in range(50))
    assert backoff_delay(1, 1, 10, retry_after=25) == 25


async def test_an_unwritable_health_file_stops_the_worker_at_start_up(tmp_path: Path) -> None:
    """A health path that cannot be written (here its directory is a file) ends run() with
    HealthFileError and an error log, before any message is received."""
    from structlog.testing import capture_logs

    from services.common.consumer import HealthFileError

    sqs, handler = work_queue(), ScriptedHandler({"ok": ok})
    sqs.put(body("ok"))
    (tmp_path / "not-a-dir").write_text("")
    consumer = SqsConsumer(sqs, handler, config(health_file=tmp_path / "not-a-dir" / "health"))
    with capture_logs() as logs, pytest.raises(HealthFileError, match="not-a-dir/health"):
        await asyncio.wait_for(consumer.run(asyncio.Event()), timeout=5)
    assert [e["event"] for e in logs if e["log_level"] == "error"] == ["health_file_unwritable"]
    assert handler.handled == [] and len(sqs.queues["work"]) == 1


async def test_a_health_file_that_stops_being_writable_is_logged_once_and_the_loop_goes_on(tmp_path: Path) -> None:
    """Once the file was written, a failed touch is one error log per streak (not a crash):
    messages keep being handled while the stale file fails the container health check."""
    from structlog.testing import capture_logs

    sqs, handler = work_queue(), ScriptedHandler({"ok": ok})
    health_dir = tmp_path / "run"
    health_dir.mkdir()
    consumer = SqsConsumer(sqs, handler, config(health_file=health_dir / "health"))
    stop = asyncio.Event()
    with capture_logs() as logs:
        task = asyncio.create_task(consumer.run(stop))
        await wait_until(lambda: (health_dir / "health").exists())
        (health_dir / "health").unlink()
        health_dir.rmdir()
        health_dir.write_text("")  # the directory is gone: every touch now fails
        sqs.put(body("ok"))
        await wait_until(lambda: len(handler.handled) == 1)
        await asyncio.sleep(0.2)
        stop.set()
        await asyncio.wait_for(task, timeout=10)
    assert len(handler.handled) == 1
    assert [e["event"] for e in logs if e["log_level"] == "error"] == ["health_file_touch_failed"]
