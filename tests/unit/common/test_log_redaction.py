"""Log lines never carry secrets or URL credentials, whoever logged them and however deep."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from services.common.logging import configure_logging, redact

SIGNED = "https://cdn.shop.example/p/1.jpg?X-Amz-Signature=abc123&X-Amz-Credential=AKIAEXAMPLE#frag"


def _redact(**event: Any) -> dict[str, Any]:
    return dict(redact(None, "info", dict(event)))


def test_keys_naming_a_secret_are_masked_at_any_depth_and_in_any_case() -> None:
    """secret, token, password, authorization, api_key and cookie anywhere in a key name mask its value."""
    line = _redact(
        event="call",
        Authorization="Bearer sk-live",
        request={"headers": {"X-Api-Key": "k1", "Cookie": "sid=s1"}, "body": [{"refresh_token": "t1"}]},
        db_password="p1",
        clientSecret="c1",
        jobId="j1",
    )
    text = json.dumps(line)
    for secret in ("sk-live", "k1", "sid=s1", "t1", "p1", "c1"):
        assert secret not in text, secret
    assert line["jobId"] == "j1" and line["Authorization"] == line["db_password"] == line["clientSecret"] == "***"
    assert line["request"] == {"headers": {"X-Api-Key": "***", "Cookie": "***"}, "body": [{"refresh_token": "***"}]}


def test_urls_lose_query_fragment_and_user_info_in_values_messages_and_tracebacks() -> None:
    """A signed URL is logged as scheme, host and path: in a field, nested, in a message or a traceback."""
    line = _redact(
        event=f"fetching {SIGNED}",
        url=SIGNED,
        nested={"urls": [SIGNED]},
        note="see 'https://u:pw@shop.example/a?b=c'",
        exception=f'Traceback ...\nValueError: cannot fetch "{SIGNED}"',
    )
    text = json.dumps(line)
    assert "abc123" not in text and "AKIAEXAMPLE" not in text and "pw@" not in text and "frag" not in text
    assert line["url"] == "https://cdn.shop.example/p/1.jpg" and line["event"] == f"fetching {line['url']}"
    assert line["nested"] == {"urls": ["https://cdn.shop.example/p/1.jpg"]}
    assert line["note"] == "see 'https://shop.example/a'"


@pytest.fixture
def configured() -> Iterator[list[Any]]:
    configure_logging("test")
    yield structlog.get_config()["processors"]
    structlog.reset_defaults()


def test_every_service_logger_redacts_after_tracebacks_are_formatted(configured: list[Any]) -> None:
    """configure_logging puts redact after format_exc_info and before the renderer, so nothing skips it."""
    assert redact in configured
    assert configured.index(structlog.processors.format_exc_info) < configured.index(redact) == len(configured) - 2
