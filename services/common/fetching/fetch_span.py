"""The span of one fetch (page, image, document), naming the host only."""

from __future__ import annotations

from contextlib import AbstractContextManager

from opentelemetry.trace import SpanKind
from yarl import URL

from services.common.tracing import span

__all__ = ["fetch_span"]


def fetch_span(name: str, url: str) -> AbstractContextManager[object]:
    """A client span for fetching ``url``; the host only: a shop's query string can hold its
    credentials (url_privacy.py)."""
    try:
        host = URL(url).host or ""
    except ValueError:  # refused by the fetch itself, inside the span
        host = ""
    return span(name, {"server.address": host}, kind=SpanKind.CLIENT)
