"""Traces: one per job, API → SQS → scraper → EventBridge → SQS → renderer, on OpenTelemetry.

Off unless ``OTEL_TRACES_EXPORTER`` names an exporter: the services then run with
OpenTelemetry's no-op tracer (every span below costs a few microseconds and records
nothing). ECS sets ``otlp``: spans go over OTLP/HTTP to the ADOT collector beside each task
(``OTEL_EXPORTER_OTLP_ENDPOINT``, read by the exporter itself), which sends them to X-Ray.
``jsonl`` appends one JSON span per line to ``PRODUCTSHOT_TRACES_FILE`` (the integration
test and ``python -m localdev.traces`` read it); ``console`` prints them.

How a job keeps one trace (docs/operations.md, "Traces"):

- the API's request span is the root; the job's ``traceId`` is that span's trace id;
- the scrape request carries a W3C ``traceparent`` message attribute (``sqs_work_queue.py``);
- EventBridge drops message attributes on the way to SQS, so the stage events carry the
  same header in their detail (``traceParent``, ``events.build_detail``);
- each stage's span is the child of the span that sent its message (``stage_handler.py``).

Ids come from the X-Ray id generator (the trace id's first 8 hex digits are its start time),
which X-Ray requires and which are valid W3C ids everywhere else. This module is the
process's tracing state (``configure_tracing`` once in ``main``, ``shutdown_tracing`` at exit).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.extension.aws.trace import AwsXRayIdGenerator
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    ParentBased,
    Sampler,
    TraceIdRatioBased,
)
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["TracingSettings", "TRACEPARENT", "configure_tracing", "shutdown_tracing", "span", "trace_headers",
           "context_from", "current_trace_id", "tracing_enabled", "JsonLinesSpanExporter"]

TRACEPARENT = "traceparent"
_PROPAGATOR = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("productshot")
_provider: TracerProvider | None = None


class TracingSettings(BaseSettings):
    """The standard OpenTelemetry variables where they exist; the JSON-lines file is ours."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    exporter: Literal["none", "otlp", "console", "jsonl"] = Field(
        default="none", validation_alias=AliasChoices("OTEL_TRACES_EXPORTER"))
    sampler: Literal["always_on", "always_off", "traceidratio", "parentbased_always_on",
                     "parentbased_always_off", "parentbased_traceidratio"] = Field(
        default="parentbased_traceidratio", validation_alias=AliasChoices("OTEL_TRACES_SAMPLER"))
    #: The ratio of the ``traceidratio`` samplers (new traces kept; a child follows its parent).
    sampler_arg: float = Field(default=1.0, ge=0, le=1, validation_alias=AliasChoices("OTEL_TRACES_SAMPLER_ARG"))
    file: Path | None = Field(default=None, validation_alias=AliasChoices("PRODUCTSHOT_TRACES_FILE"))

    @property
    def enabled(self) -> bool:
        return self.exporter != "none"


def _sampler(settings: TracingSettings) -> Sampler:
    ratio = TraceIdRatioBased(settings.sampler_arg)
    root: Sampler = {"always_on": ALWAYS_ON, "always_off": ALWAYS_OFF}.get(
        settings.sampler.removeprefix("parentbased_"), ratio)
    return ParentBased(root) if settings.sampler.startswith("parentbased_") else root


class JsonLinesSpanExporter(SpanExporter):
    """Appends each finished span as one JSON line (the batch processor calls it off the event loop)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = "".join(s.to_json(indent=None) + "\n" for s in spans)  # the SDK's own JSON form, one line
        with self._lock, self._path.open("a", encoding="utf-8") as out:
            out.write(lines)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None


def _exporter(settings: TracingSettings) -> SpanExporter:
    if settings.exporter == "otlp":
        # Imported here: only deployed tasks pay for loading protobuf.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    if settings.exporter == "jsonl":
        if settings.file is None:
            raise ValueError("OTEL_TRACES_EXPORTER=jsonl needs PRODUCTSHOT_TRACES_FILE")
        return JsonLinesSpanExporter(settings.file)
    return ConsoleSpanExporter()


def configure_tracing(service: str, settings: TracingSettings) -> None:
    """Once per process (its ``main``): the SDK with its exporter, or nothing (the no-op tracer)."""
    global _provider
    if not settings.enabled:
        return
    _provider = TracerProvider(
        sampler=_sampler(settings), id_generator=AwsXRayIdGenerator(),
        resource=Resource.create({"service.name": f"productshot-{service}", "service.namespace": "productshot"}),
    )
    _provider.add_span_processor(BatchSpanProcessor(_exporter(settings)))
    trace.set_tracer_provider(_provider)


def tracing_enabled() -> bool:
    return _provider is not None


def shutdown_tracing() -> None:
    """Export what is buffered (the process's exit)."""
    if _provider is not None:
        _provider.shutdown()


@contextmanager
def span(name: str, attributes: Mapping[str, str | int | float | bool] | None = None, *,
         kind: SpanKind = SpanKind.INTERNAL, context: Context | None = None) -> Iterator[Span]:
    """A current span for the block; an exception leaving it is recorded and marks it an error."""
    with _tracer.start_as_current_span(name, context=context, kind=kind, attributes=attributes) as current:
        yield current


def trace_headers() -> dict[str, str]:
    """The current span as a W3C ``traceparent`` (empty when there is no span: tracing off)."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


def context_from(carrier: Mapping[str, str]) -> Context | None:
    """The remote parent a message carries; None (a new trace) when it carries none."""
    if TRACEPARENT not in carrier:
        return None
    return _PROPAGATOR.extract(carrier)


def current_trace_id() -> str | None:
    """The current trace's id as 32 hex digits (a job's ``traceId``), or None when not tracing."""
    context = trace.get_current_span().get_span_context()
    return trace.format_trace_id(context.trace_id) if context.is_valid else None
