"""A small Productshot event subscriber: copy it, then replace ``handle``.

It long-polls *your* SQS queue, which an EventBridge rule on the ``productshot`` bus feeds
(see README.md). For each message it

1. parses the EventBridge envelope (the SQS body is the event itself),
2. validates ``detail`` against the published JSON Schema for its detail-type and
   ``schemaVersion`` (from a folder you copied from the Productshot repo),
3. drops duplicates by ``detail.eventId`` (delivery is at least once),
4. calls your handler, and deletes the message only after the handler returned.

A message that cannot be parsed or validated, or whose handler raises, is left in the
queue: it is retried after the visibility timeout and, after the queue's
``maxReceiveCount``, lands in your DLQ. Standalone on purpose: only aiobotocore and
jsonschema, nothing from Productshot's code base.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

__all__ = [
    "Event",
    "EnvelopeError",
    "DetailValidator",
    "Deduper",
    "Handler",
    "parse_envelope",
    "process_message",
    "run",
    "main",
]

log = logging.getLogger("productshot.subscriber")

_ENVELOPE_KEYS = ("id", "source", "detail-type", "time", "detail")


class EnvelopeError(ValueError):
    """The SQS message is not an EventBridge event carrying a Productshot detail."""


@dataclass(frozen=True, slots=True)
class Event:
    """One EventBridge event: the envelope fields you usually need, plus the detail."""

    event_id: str  # detail.eventId: stable across retries and replays; dedupe on it
    detail_type: str
    source: str
    time: str
    account: str
    region: str
    detail: dict[str, Any]
    replay_name: str | None = None  # set by EventBridge when the event comes from an archive replay


def parse_envelope(body: str) -> Event:
    """The EventBridge event in an SQS message body (EventBridge sends it as-is, no wrapper)."""
    try:
        envelope = json.loads(body)
    except json.JSONDecodeError as exc:
        raise EnvelopeError(f"message body is not JSON: {exc}") from exc
    if not isinstance(envelope, dict):
        raise EnvelopeError("message body is not a JSON object")
    missing = [key for key in _ENVELOPE_KEYS if key not in envelope]
    if missing:
        raise EnvelopeError(f"not an EventBridge event, missing {missing}")
    detail = envelope["detail"]
    if not isinstance(detail, dict) or not isinstance(detail.get("eventId"), str):
        raise EnvelopeError("detail has no eventId")
    return Event(
        event_id=detail["eventId"],
        detail_type=str(envelope["detail-type"]),
        source=str(envelope["source"]),
        time=str(envelope["time"]),
        account=str(envelope.get("account", "")),
        region=str(envelope.get("region", "")),
        detail=detail,
        replay_name=envelope.get("replay-name"),
    )


def _tolerant(schema: Any) -> Any:
    """The schema without ``additionalProperties: false``.

    Productshot may add optional properties to a published version; a subscriber holding
    an older copy of the file must not reject those events (a "tolerant reader").
    """
    if isinstance(schema, list):
        return [_tolerant(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: _tolerant(v) for k, v in schema.items() if not (k == "additionalProperties" and v is False)}


class DetailValidator:
    """Validates a detail against ``<schema_dir>/<detail-type>/v<schemaVersion>.json``."""

    def __init__(self, schema_dir: Path) -> None:
        self._dir = schema_dir
        self._validators: dict[tuple[str, int], jsonschema.protocols.Validator] = {}

    def validate(self, event: Event) -> None:
        """Raise jsonschema.ValidationError, or FileNotFoundError for a version you do not have yet."""
        version = event.detail.get("schemaVersion")
        if not isinstance(version, int):
            raise jsonschema.ValidationError("detail.schemaVersion is missing or not an integer")
        key = (event.detail_type, version)
        if key not in self._validators:
            # A path built from message content: keep it inside schema_dir.
            if not event.detail_type.isalnum():
                raise jsonschema.ValidationError(f"unexpected detail-type {event.detail_type!r}")
            path = self._dir / event.detail_type / f"v{version}.json"
            schema = _tolerant(json.loads(path.read_text(encoding="utf-8")))
            cls = jsonschema.validators.validator_for(schema)
            self._validators[key] = cls(schema, format_checker=cls.FORMAT_CHECKER)
        self._validators[key].validate(event.detail)


class Deduper:
    """Event ids already handled, bounded (least recently seen forgotten first).

    In memory, so it forgets on restart and is not shared between replicas: production
    should record handled ids in a durable store (e.g. a DynamoDB conditional put with a
    TTL) or make the handler itself idempotent.
    """

    def __init__(self, max_size: int = 10_000) -> None:
        self._max = max_size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def seen(self, event_id: str) -> bool:
        if event_id in self._seen:
            self._seen.move_to_end(event_id)
            return True
        return False

    def remember(self, event_id: str) -> None:
        self._seen[event_id] = None
        self._seen.move_to_end(event_id)
        while len(self._seen) > self._max:
            self._seen.popitem(last=False)

    def __len__(self) -> int:
        return len(self._seen)


Handler = Callable[[Event], Awaitable[None]]


async def process_message(body: str, handle: Handler, *, validator: DetailValidator | None,
                          deduper: Deduper) -> bool:
    """Handle one message body; True when the message may be deleted."""
    try:
        event = parse_envelope(body)
        if validator is not None:
            validator.validate(event)
    except (EnvelopeError, jsonschema.ValidationError, FileNotFoundError) as exc:
        # Leave it: after maxReceiveCount it lands in the DLQ for a person to look at.
        log.error("rejected message: %s", getattr(exc, "message", exc))
        return False
    if deduper.seen(event.event_id):
        log.info("duplicate %s %s, skipped", event.detail_type, event.event_id)
        return True
    try:
        await handle(event)
    except Exception:
        log.exception("handler failed for %s %s; it will be retried", event.detail_type, event.event_id)
        return False
    deduper.remember(event.event_id)
    return True


async def _receive(sqs_client: Any, queue_url: str, stop: asyncio.Event, wait_seconds: int,
                   max_messages: int) -> list[dict[str, Any]]:
    """One long poll, abandoned as soon as ``stop`` is set (messages then simply reappear)."""
    receive = asyncio.ensure_future(sqs_client.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=max_messages, WaitTimeSeconds=wait_seconds,
    ))
    stopped = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({receive, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if receive not in done:
        receive.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await receive
        return []
    response: dict[str, Any] = receive.result()
    return list(response.get("Messages", []))


async def run(queue_url: str, handle: Handler, *, stop: asyncio.Event, sqs_client: Any,
              validator: DetailValidator | None = None, deduper: Deduper | None = None,
              wait_seconds: int = 20, max_messages: int = 10) -> None:
    """Consume ``queue_url`` until ``stop`` is set; the batch in hand is finished first."""
    deduper = deduper if deduper is not None else Deduper()
    while not stop.is_set():
        try:
            messages = await _receive(sqs_client, queue_url, stop, wait_seconds, max_messages)
        except Exception:
            log.exception("receive failed; retrying in 5 s")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=5)
            continue
        for message in messages:
            if not await process_message(message["Body"], handle, validator=validator, deduper=deduper):
                continue
            try:
                await sqs_client.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            except Exception:
                # It comes back after the visibility timeout; the deduper then skips it.
                log.exception("could not delete message %s", message.get("MessageId"))


class PrintAndDownload:
    """Example handler: prints every event; downloads generated images with your own S3 access."""

    def __init__(self, s3_client: Any | None, download_dir: Path | None) -> None:
        self._s3 = s3_client
        self._dir = download_dir

    async def __call__(self, event: Event) -> None:
        detail = event.detail
        about = f"job={detail['jobId']}" if "jobId" in detail else f"batch={detail.get('batchId')}"
        print(f"{event.detail_type} {about} tenant={detail['tenant']} event={event.event_id}")
        if event.detail_type != "ProductImageGenerated" or self._s3 is None or self._dir is None:
            return
        for image in detail["images"]:
            response = await self._s3.get_object(Bucket=image["bucket"], Key=image["key"])
            async with response["Body"] as body:
                data = await body.read()
            # Name the file from trusted parts only (the key is Productshot's, but stay safe).
            target = self._dir / f"{detail['jobId']}-{image['format']}.{image['output']}"
            await asyncio.to_thread(target.write_bytes, data)
            print(f"  saved {target} ({len(data)} bytes, {image['width']}x{image['height']})")


async def main(argv: list[str] | None = None) -> None:
    # Imported here so the parsing and dedupe logic above can be used without it.
    from aiobotocore.session import get_session

    parser = argparse.ArgumentParser(description="Consume Productshot events from an SQS queue.")
    parser.add_argument("--queue-url", default=os.environ.get("QUEUE_URL"),
                        required="QUEUE_URL" not in os.environ)
    parser.add_argument("--schemas", type=Path, default=Path(os.environ.get("SCHEMA_DIR", "event_schemas")),
                        help="folder with <DetailType>/vN.json, copied from the Productshot repo")
    parser.add_argument("--download-dir", type=Path, default=None,
                        help="download generated images here (needs s3:GetObject on the images bucket)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    session = get_session()
    async with contextlib.AsyncExitStack() as stack:
        sqs = await stack.enter_async_context(session.create_client("sqs"))
        s3 = None
        if args.download_dir is not None:
            args.download_dir.mkdir(parents=True, exist_ok=True)
            s3 = await stack.enter_async_context(session.create_client("s3"))
        await run(args.queue_url, PrintAndDownload(s3, args.download_dir), stop=stop, sqs_client=sqs,
                  validator=DetailValidator(args.schemas))
    log.info("stopped")


if __name__ == "__main__":
    asyncio.run(main())
