"""The copyable example subscriber parses envelopes, validates, dedupes and deletes only after handling."""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from services.common.events import SCHEMAS_DIR

_PATH = Path(__file__).resolve().parents[3] / "examples" / "subscriber" / "subscriber.py"


def _load_subscriber() -> ModuleType:
    # examples/ is not a package: load the file the way a copying team would run it.
    spec = importlib.util.spec_from_file_location("example_subscriber", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


sub = _load_subscriber()


def _detail(detail_type: str = "ProductImageGenerated", index: int = 0) -> dict[str, Any]:
    schema = json.loads((SCHEMAS_DIR / detail_type / "v1.json").read_text(encoding="utf-8"))
    detail: dict[str, Any] = copy.deepcopy(schema["examples"][index])
    return detail


def _envelope(detail: dict[str, Any], detail_type: str = "ProductImageGenerated", **extra: Any) -> str:
    envelope = {
        "version": "0",
        "id": "6f3c1b2a-0000-4000-8000-000000000001",
        "detail-type": detail_type,
        "source": "productshot.renderer",
        "account": "111122223333",
        "time": "2025-03-14T09:27:41Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": detail,
        **extra,
    }
    return json.dumps(envelope)


class Recorder:
    def __init__(self, fail: bool = False) -> None:
        self.events: list[Any] = []
        self.fail = fail

    async def __call__(self, event: Any) -> None:
        if self.fail:
            raise RuntimeError("downstream unavailable")
        self.events.append(event)


def test_parse_envelope_reads_eventbridge_fields_and_detail() -> None:
    """The SQS body is the EventBridge event; the event id used is detail.eventId, not the envelope id."""
    detail = _detail()
    event = sub.parse_envelope(_envelope(detail, **{"replay-name": "backfill"}))
    assert event.event_id == detail["eventId"]
    assert event.detail_type == "ProductImageGenerated"
    assert event.source == "productshot.renderer"
    assert event.account == "111122223333" and event.region == "eu-west-1"
    assert event.detail == detail
    assert event.replay_name == "backfill"


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", json.dumps({"Message": "{}"}), _envelope({"jobId": "x"})],
    ids=["not-json", "not-object", "sns-wrapped", "no-event-id"],
)
def test_parse_envelope_rejects_what_is_not_a_productshot_event(body: str) -> None:
    """Garbage, SNS-style wrappers and details without eventId raise EnvelopeError."""
    with pytest.raises(sub.EnvelopeError):
        sub.parse_envelope(body)


def test_deduper_is_bounded_and_forgets_least_recently_seen() -> None:
    """The in-memory LRU keeps at most max_size ids; a re-seen id is kept over older ones."""
    deduper = sub.Deduper(max_size=2)
    deduper.remember("a")
    deduper.remember("b")
    assert deduper.seen("a")  # refreshes "a"
    deduper.remember("c")  # evicts "b"
    assert len(deduper) == 2
    assert deduper.seen("a") and deduper.seen("c") and not deduper.seen("b")


@pytest.mark.parametrize(
    "detail_type",
    ["JobAccepted", "ProductScraped", "ProductImageGenerated", "JobFailed"],
)
async def test_valid_event_is_handled_once_then_deduped(detail_type: str) -> None:
    """A valid event reaches the handler once; its redelivery is acknowledged without handling."""
    handler, deduper = Recorder(), sub.Deduper()
    validator = sub.DetailValidator(SCHEMAS_DIR)
    body = _envelope(_detail(detail_type), detail_type)
    assert await sub.process_message(body, handler, validator=validator, deduper=deduper) is True
    assert await sub.process_message(body, handler, validator=validator, deduper=deduper) is True
    assert len(handler.events) == 1


async def test_replayed_event_with_new_envelope_id_is_still_a_duplicate() -> None:
    """An archive replay gets a new envelope id but keeps detail.eventId, so it is deduped."""
    handler, deduper = Recorder(), sub.Deduper()
    detail = _detail()
    await sub.process_message(_envelope(detail), handler, validator=None, deduper=deduper)
    replay = json.loads(_envelope(detail, **{"replay-name": "r1"}))
    replay["id"] = "6f3c1b2a-0000-4000-8000-000000000002"
    await sub.process_message(json.dumps(replay), handler, validator=None, deduper=deduper)
    assert len(handler.events) == 1


async def test_invalid_detail_is_not_handled_and_not_deleted() -> None:
    """A detail that breaks its schema stays in the queue (for the DLQ) and never reaches the handler."""
    handler = Recorder()
    detail = _detail()
    detail["images"] = []
    ok = await sub.process_message(_envelope(detail), handler, validator=sub.DetailValidator(SCHEMAS_DIR),
                                   deduper=sub.Deduper())
    assert ok is False and handler.events == []


async def test_unknown_schema_version_is_left_for_the_dlq() -> None:
    """An event of a version this copy has no schema for is kept (not dropped) until one upgrades."""
    detail = _detail()
    detail["schemaVersion"] = 99
    ok = await sub.process_message(_envelope(detail), Recorder(), validator=sub.DetailValidator(SCHEMAS_DIR),
                                   deduper=sub.Deduper())
    assert ok is False


async def test_added_optional_property_is_tolerated() -> None:
    """A property Productshot adds later to v1 does not break a subscriber holding the older file."""
    detail = _detail()
    detail["newOptionalField"] = "added in place"
    detail["images"][0]["dpi"] = 72
    handler = Recorder()
    ok = await sub.process_message(_envelope(detail), handler, validator=sub.DetailValidator(SCHEMAS_DIR),
                                   deduper=sub.Deduper())
    assert ok is True and len(handler.events) == 1


async def test_failing_handler_leaves_message_and_does_not_mark_it_seen() -> None:
    """When the handler raises, the message is not deleted and a redelivery is handled again."""
    deduper = sub.Deduper()
    body = _envelope(_detail())
    assert await sub.process_message(body, Recorder(fail=True), validator=None, deduper=deduper) is False
    retry = Recorder()
    assert await sub.process_message(body, retry, validator=None, deduper=deduper) is True
    assert len(retry.events) == 1


class FakeSqs:
    """Serves prepared batches, then long-polls (blocks) like an empty queue; records deletes."""

    def __init__(self, batches: list[list[dict[str, Any]]]) -> None:
        self._batches = batches
        self.deleted: list[str] = []
        self.idle = asyncio.Event()  # set once a poll finds the queue empty

    async def receive_message(self, **kwargs: Any) -> dict[str, Any]:
        assert kwargs["WaitTimeSeconds"] > 0  # long polling
        if self._batches:
            return {"Messages": self._batches.pop(0)}
        self.idle.set()
        await asyncio.sleep(3600)  # an empty queue holds the poll open
        return {}

    async def delete_message(self, *, QueueUrl: str, ReceiptHandle: str) -> None:
        self.deleted.append(ReceiptHandle)


async def test_run_deletes_handled_and_duplicate_messages_only_and_stops_promptly() -> None:
    """run() deletes after handling (and duplicates), keeps bad ones, and a set stop ends an open poll."""
    good = _envelope(_detail())
    bad_detail = _detail()
    bad_detail["images"] = []
    sqs = FakeSqs([[
        {"MessageId": "1", "ReceiptHandle": "r-good", "Body": good},
        {"MessageId": "2", "ReceiptHandle": "r-dup", "Body": good},
        {"MessageId": "3", "ReceiptHandle": "r-bad", "Body": _envelope(bad_detail)},
    ]])
    handler, stop = Recorder(), asyncio.Event()
    task = asyncio.create_task(sub.run("https://sqs.test/q", handler, stop=stop, sqs_client=sqs,
                                       validator=sub.DetailValidator(SCHEMAS_DIR)))
    await asyncio.wait_for(sqs.idle.wait(), timeout=2)
    stop.set()
    await asyncio.wait_for(task, timeout=2)
    assert sqs.deleted == ["r-good", "r-dup"]
    assert len(handler.events) == 1


class FakeBody:
    def __init__(self, data: bytes) -> None:
        self._data = data

    async def __aenter__(self) -> FakeBody:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def read(self) -> bytes:
        return self._data


class FakeS3:
    def __init__(self) -> None:
        self.gets: list[tuple[str, str]] = []

    async def get_object(self, *, Bucket: str, Key: str) -> dict[str, Any]:
        self.gets.append((Bucket, Key))
        return {"Body": FakeBody(b"image:" + Key.encode())}


async def test_download_handler_fetches_each_image_by_bucket_and_key(tmp_path: Path) -> None:
    """ProductImageGenerated images are read with the subscriber's own S3 client and saved per format."""
    s3 = FakeS3()
    detail = _detail()
    await sub.PrintAndDownload(s3, tmp_path)(sub.parse_envelope(_envelope(detail)))
    assert s3.gets == [(i["bucket"], i["key"]) for i in detail["images"]]
    saved = tmp_path / f"{detail['jobId']}-square.jpeg"
    assert await asyncio.to_thread(saved.read_bytes) == b"image:" + detail["images"][0]["key"].encode()


async def test_download_handler_only_prints_other_events(tmp_path: Path) -> None:
    """Events other than ProductImageGenerated touch no S3 object."""
    s3 = FakeS3()
    await sub.PrintAndDownload(s3, tmp_path)(sub.parse_envelope(_envelope(_detail("JobFailed"), "JobFailed")))
    assert s3.gets == [] and await asyncio.to_thread(lambda: list(tmp_path.iterdir())) == []
