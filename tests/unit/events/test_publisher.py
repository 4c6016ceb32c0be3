"""EventBridgePublisher validates before it sends and turns failures into retries."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from botocore.exceptions import ClientError

from services.common.adapters.eventbridge_publisher import EventBridgePublisher
from services.common.errors import TransientError
from services.common.events import SCHEMAS_DIR, DetailType


class FakeEventsClient:
    """Records put_events calls and answers with a canned response (or raises)."""

    def __init__(self, response: dict[str, Any] | None = None, error: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        ok = {"FailedEntryCount": 0, "Entries": [{"EventId": "1"}]}
        self._response = response if response is not None else ok
        self._error = error

    async def put_events(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        if self._error is not None:
            raise self._error
        return self._response


def _example(detail_type: DetailType) -> dict[str, Any]:
    schema = json.loads((SCHEMAS_DIR / detail_type.value / "v1.json").read_text(encoding="utf-8"))
    example: dict[str, Any] = schema["examples"][0]
    return example


async def test_invalid_detail_raises_and_is_never_sent() -> None:
    """A detail that breaks its schema raises ValidationError and put_events is not called."""
    client = FakeEventsClient()
    detail = _example(DetailType.JOB_FAILED) | {"stage": "somewhere"}
    with pytest.raises(jsonschema.ValidationError):
        await EventBridgePublisher(client, "productshot").publish(
            DetailType.JOB_FAILED, detail, source="productshot.scraper"
        )
    assert client.calls == []


async def test_presigned_url_in_detail_is_never_sent() -> None:
    """A detail smuggling an extra presigned-URL field is refused before it leaves the process."""
    client = FakeEventsClient()
    detail = _example(DetailType.IMAGE_GENERATED) | {"url": "https://b.s3.amazonaws.com/k?X-Amz-Signature=1"}
    with pytest.raises(jsonschema.ValidationError):
        await EventBridgePublisher(client, "productshot").publish(
            DetailType.IMAGE_GENERATED, detail, source="productshot.renderer"
        )
    assert client.calls == []


@pytest.mark.parametrize("detail_type", list(DetailType))
async def test_valid_detail_is_put_on_the_bus(detail_type: DetailType) -> None:
    """A valid detail goes out as one entry with the bus name, source, detail-type and JSON detail."""
    client = FakeEventsClient()
    detail = _example(detail_type)
    publisher = EventBridgePublisher(client, "productshot-bus")
    await publisher.publish(detail_type, detail, source="productshot.api")
    assert len(client.calls) == 1
    [entry] = client.calls[0]["Entries"]
    assert entry["EventBusName"] == "productshot-bus"
    assert entry["Source"] == "productshot.api"
    assert entry["DetailType"] == detail_type.value
    assert json.loads(entry["Detail"]) == detail


async def test_failed_entry_raises_transient_error() -> None:
    """FailedEntryCount > 0 (throttled, internal failure) is transient: the message will be retried."""
    client = FakeEventsClient(
        {"FailedEntryCount": 1,
         "Entries": [{"ErrorCode": "ThrottlingException", "ErrorMessage": "slow down"}]}
    )
    with pytest.raises(TransientError, match="ThrottlingException"):
        await EventBridgePublisher(client, "productshot").publish(
            DetailType.JOB_ACCEPTED, _example(DetailType.JOB_ACCEPTED), source="productshot.api"
        )
    assert len(client.calls) == 1


async def test_client_error_raises_transient_error() -> None:
    """An SDK error from PutEvents is translated to TransientError, keeping the cause."""
    error = ClientError({"Error": {"Code": "InternalException", "Message": "boom"}}, "PutEvents")
    client = FakeEventsClient(error=error)
    with pytest.raises(TransientError) as raised:
        await EventBridgePublisher(client, "productshot").publish(
            DetailType.JOB_ACCEPTED, _example(DetailType.JOB_ACCEPTED), source="productshot.api"
        )
    assert raised.value.__cause__ is error
