"""Counts every AWS call a process makes, through the SDK's own event hooks (bench only).

Put this folder on PYTHONPATH and set ``AWS_METER_FILE``: every aiobotocore/botocore
session the process creates then records, per service and operation:

- the API calls made and the HTTP requests sent (retries included: what AWS bills);
- DynamoDB capacity units (``ReturnConsumedCapacity=TOTAL`` is added where it applies);
- S3 bytes written and read, EventBridge entries;
- SQS messages sent and received, and receives that came back empty.

The totals are written as JSON to ``AWS_METER_FILE`` at exit and every
``AWS_METER_FLUSH_SECONDS`` (default 1). Nothing here changes what the code does.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
import time
from collections import defaultdict
from typing import Any

_PATH = os.environ.get("AWS_METER_FILE")
_TOTALS: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
_LOCK = threading.Lock()
_CAPACITY_OPS = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
                 "BatchWriteItem", "TransactWriteItems", "TransactGetItems"}


def _add(key: str, field: str, amount: float = 1.0) -> None:
    with _LOCK:
        _TOTALS[key][field] += amount


def _before_parameter_build(params: dict[str, Any], model: Any, **_: Any) -> None:
    if model.service_model.service_name == "dynamodb" and model.name in _CAPACITY_OPS:
        params.setdefault("ReturnConsumedCapacity", "TOTAL")


def _key(event_name: str) -> str:
    """``<service>.<Operation>`` from an event name such as ``before-call.dynamodb.PutItem``."""
    return event_name.split(".", 1)[1] if "." in event_name else event_name


def _before_call(params: dict[str, Any], model: Any, event_name: str = "", **_: Any) -> None:
    _add(_key(event_name), "calls")


def _client_params(params: dict[str, Any], event_name: str = "", **_: Any) -> None:
    body = params.get("Body")
    if isinstance(body, bytes | bytearray):  # PutObject as the caller gave it
        _add(_key(event_name), "bytes_out", len(body))
        # What the object is: the job's model scene, the product photo, or an image variant.
        name = str(params.get("Key", "")).rsplit("/", 1)[-1]
        kind = "scene" if name.startswith("background") else "source" if name.startswith("source") else "variant"
        _add(_key(event_name), f"bytes_out:{kind}", len(body))


def _before_send(event_name: str = "", **_: Any) -> None:
    _add(_key(event_name), "requests")  # one per HTTP request, retries included: what AWS bills


def _after_call(http_response: Any, parsed: dict[str, Any], model: Any, event_name: str = "", **_: Any) -> None:
    key = _key(event_name)
    consumed = parsed.get("ConsumedCapacity")
    for unit in consumed if isinstance(consumed, list) else [consumed] if consumed else []:
        _add(key, "capacity_units", float(unit.get("CapacityUnits", 0.0)))
        _add(key, "read_units", float(unit.get("ReadCapacityUnits", 0.0) or 0.0))
        _add(key, "write_units", float(unit.get("WriteCapacityUnits", 0.0) or 0.0))
    if model.name == "GetObject":
        _add(key, "bytes_in", float(parsed.get("ContentLength") or 0))
    elif model.name == "ReceiveMessage":
        received = len(parsed.get("Messages") or [])
        _add(key, "messages", received)
        if not received:
            _add(key, "empty", 1)
    elif model.name == "PutEvents":
        _add(key, "entries", len(parsed.get("Entries") or []))
    elif model.name == "SendMessageBatch":
        _add(key, "messages", len(parsed.get("Successful") or []))
    if getattr(http_response, "status_code", 200) >= 400:
        _add(key, "errors", 1)


def _hook(session: Any) -> None:
    session.register("before-parameter-build.*.*", _before_parameter_build)
    session.register("before-call.*.*", _before_call)
    session.register("provide-client-params.s3.PutObject", _client_params)
    session.register("before-send.*.*", _before_send)
    session.register("after-call.*.*", _after_call)


def _flush() -> None:
    if not _PATH:
        return
    with _LOCK:
        data = {k: dict(v) for k, v in _TOTALS.items()}
    tmp = f"{_PATH}.tmp"
    with open(tmp, "w") as out:
        json.dump({"pid": os.getpid(), "calls": data}, out)
    os.replace(tmp, _PATH)


def _flusher(every: float) -> None:
    while True:
        time.sleep(every)
        _flush()


def _install() -> None:
    import botocore.session

    original = botocore.session.Session.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        _hook(self)

    botocore.session.Session.__init__ = init  # type: ignore[method-assign]  # AioSession inherits it
    atexit.register(_flush)
    every = float(os.environ.get("AWS_METER_FLUSH_SECONDS", "1"))
    threading.Thread(target=_flusher, args=(every,), daemon=True, name="aws-meter").start()


if _PATH:
    _install()
