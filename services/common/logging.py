"""structlog configured once per process: JSON lines on stdout, context vars merged.

Bind the job id with ``structlog.contextvars.bound_contextvars(jobId=...)`` around the
work for one message; every line logged inside carries it.

Every line passes ``redact`` last before rendering: a value under a key that names a
secret (any key containing secret, token, password, authorization, api_key, api-key, apikey or
cookie, in any case, at any depth) is masked, and every URL in a string value loses its
query string, fragment and user info (signed URLs carry credentials there).
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

from services.common.url_privacy import scrub_urls

__all__ = ["configure_logging", "get_logger", "redact"]

_SECRET_KEY = re.compile(r"secret|token|password|passwd|authorization|api[_-]?key|cookie", re.IGNORECASE)
_MASK = "***"
# Deeper structures are summarised rather than walked: a log line is no place for them.
_MAX_DEPTH = 8


def _redacted(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return scrub_urls(value)
    if depth >= _MAX_DEPTH and isinstance(value, dict | list | tuple):
        return f"<{type(value).__name__} nested too deep to log>"
    if isinstance(value, dict):
        return {k: _MASK if isinstance(k, str) and _SECRET_KEY.search(k) else _redacted(v, depth + 1)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(item, depth + 1) for item in value]
    return value


def redact(_: object, __: str, event_dict: structlog.typing.EventDict) -> structlog.typing.EventDict:
    """Belt and braces, whoever logged it: secrets masked by key name, URLs without queries."""
    for key, value in list(event_dict.items()):
        event_dict[key] = _MASK if _SECRET_KEY.search(key) else _redacted(value, 0)
    return event_dict


def configure_logging(service: str, level: str = "info", fmt: str = "json") -> None:
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            redact,  # after format_exc_info, so a traceback's URLs are scrubbed too
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stdout),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)
    # Libraries that use stdlib logging (uvicorn, botocore) go to stderr at WARNING.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")


def get_logger(name: str | None = None) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger
