"""A client span for every AWS call, from the SDK's own events: one place for every adapter.

aiobotocore emits ``before-call``, ``after-call`` and ``after-call-error`` around each API
call (SDK retries included, so one span per call, not per HTTP attempt), in the calling
task, so the span's parent is whatever span the adapter's caller holds. The attributes are
OpenTelemetry's ``aws-api`` conventions, which the ADOT collector turns into X-Ray's AWS
subsegments (service, operation, request id). Calls made outside a job's trace (the
workers' long polls, heartbeats) get no span: they would each start a trace of one span.
Registered only when tracing is on
(``aws.aws_clients``): with tracing off the SDK calls no handler at all.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

__all__ = ["instrument_client"]

_KEY = "productshot_span"
_tracer = trace.get_tracer("productshot.aws")


def _before(model: Any, context: dict[str, Any], **_: Any) -> None:
    if not trace.get_current_span().get_span_context().is_valid:
        return  # outside any job's trace (a worker's idle long poll, a heartbeat): no trace of its own
    service = model.service_model.service_id.hyphenize()
    context[_KEY] = _tracer.start_span(
        f"{model.service_model.service_id}.{model.name}", kind=SpanKind.CLIENT,
        attributes={"rpc.system": "aws-api", "rpc.service": service, "rpc.method": model.name},
    )


def _after(http_response: Any, parsed: Any, context: dict[str, Any], **_: Any) -> None:
    span = context.pop(_KEY, None)
    if span is None:
        return
    metadata = parsed.get("ResponseMetadata", {}) if isinstance(parsed, dict) else {}
    if metadata.get("RequestId"):
        span.set_attribute("aws.request_id", str(metadata["RequestId"]))
    status = getattr(http_response, "status_code", None)
    if isinstance(status, int):
        span.set_attribute("http.response.status_code", status)
        if status >= 400:
            span.set_status(Status(StatusCode.ERROR))
    span.end()


def _after_error(exception: BaseException, context: dict[str, Any], **_: Any) -> None:
    span = context.pop(_KEY, None)
    if span is None:
        return
    span.record_exception(exception)
    span.set_status(Status(StatusCode.ERROR, type(exception).__name__))
    span.end()


def instrument_client(client: Any) -> None:
    """Spans for every call ``client`` makes from now on."""
    events = client.meta.events
    events.register("before-call.*.*", _before, unique_id="productshot-span-before")
    events.register("after-call.*.*", _after, unique_id="productshot-span-after")
    events.register("after-call-error.*.*", _after_error, unique_id="productshot-span-error")
