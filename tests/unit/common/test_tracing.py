"""Tracing: off by default, the sampler the settings name, the JSON-lines file, and the context
each hop carries (SQS message attributes, the event's ``traceParent``).

Spans here come from a private ``TracerProvider`` (the global one can be set once per
process, and the services' tests run with tracing off); propagation reads the current
context, whichever provider made its span.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased, TraceIdRatioBased

from localdev.traces import read_spans, trace_of, tree
from services.common.adapters.sqs_work_queue import SqsWorkQueue
from services.common.events import DetailType, build_detail, validate_detail
from services.common.job import Job
from services.common.job_states import JobStatus
from services.common.tracing import (
    TRACEPARENT,
    JsonLinesSpanExporter,
    TracingSettings,
    _sampler,
    context_from,
    current_trace_id,
    span,
    trace_headers,
)

_OTEL = ("OTEL_TRACES_EXPORTER", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "PRODUCTSHOT_TRACES_FILE")


@pytest.fixture
def provider(tmp_path: Path) -> TracerProvider:
    """A private SDK provider writing every span to ``tmp_path/spans.jsonl`` at once."""
    sdk = TracerProvider()
    sdk.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(tmp_path / "spans.jsonl")))
    return sdk


def test_tracing_is_off_unless_an_exporter_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """No OTEL_* set: exporter none, and the no-op tracer gives no trace id and no header to send."""
    for name in _OTEL:
        monkeypatch.delenv(name, raising=False)
    assert not TracingSettings().enabled
    with span("anything") as current:
        assert not current.is_recording()
        assert current_trace_id() is None and trace_headers() == {}
    assert re.fullmatch(r"[0-9a-f]{32}", Job(jobId="j", status=JobStatus.PENDING).traceId)  # a random id, as before


def test_the_sampler_is_the_one_the_settings_name() -> None:
    """parentbased_traceidratio (the default) follows the parent; traceidratio and always_on stand alone."""
    default = _sampler(TracingSettings(OTEL_TRACES_SAMPLER_ARG="0.25"))
    assert isinstance(default, ParentBased) and "TraceIdRatioBased{0.25}" in default.get_description()
    assert isinstance(_sampler(TracingSettings(OTEL_TRACES_SAMPLER="traceidratio")), TraceIdRatioBased)
    assert _sampler(TracingSettings(OTEL_TRACES_SAMPLER="always_on")) is ALWAYS_ON


def test_a_message_header_makes_the_next_stage_a_child_in_the_same_trace(
        provider: TracerProvider, tmp_path: Path) -> None:
    """traceparent out, context in: the receiver's span has the sender's span as parent; the file says so."""
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("sender") as sender:
        headers = trace_headers()
        trace_id = current_trace_id()
    assert set(headers) == {TRACEPARENT} and trace_id is not None and trace_id in headers[TRACEPARENT]
    with tracer.start_as_current_span("receiver", context=context_from(headers)) as receiver:
        pass
    assert receiver.parent is not None and receiver.parent.span_id == sender.get_span_context().span_id
    assert context_from({}) is None  # no header: the stage starts a trace of its own

    spans = read_spans((tmp_path / "spans.jsonl").read_text(encoding="utf-8").splitlines())
    assert [(depth, s.name) for depth, s in tree(trace_of(spans, trace_id))] == [(0, "sender"), (1, "receiver")]


def test_an_event_carries_its_publishers_span_only_when_there_is_one(provider: TracerProvider) -> None:
    """build_detail adds traceParent inside a span (the schema accepts it) and nothing outside one."""
    job = Job(jobId="7e57ab1e-0000-4a11-b0b0-5c4a9e7f1d23", status=JobStatus.PENDING, tenant="acme",
              productUrl="https://shop.example/p")
    payload = {"productUrl": job.productUrl, "mode": "scrape",
               "options": {"formats": ["square"], "output": "jpeg", "style": "studio"}}
    assert "traceParent" not in build_detail(DetailType.JOB_ACCEPTED, job, payload)
    with provider.get_tracer("test").start_as_current_span("publisher") as publisher:
        detail = build_detail(DetailType.JOB_ACCEPTED, job, payload)
    span_id = f"{publisher.get_span_context().span_id:016x}"
    found = re.fullmatch(rf"00-[0-9a-f]{{32}}-{span_id}-([0-9a-f]{{2}})", detail["traceParent"])
    assert found and int(found.group(1), 16) & 1  # the sampled flag: the renderer keeps the trace too
    validate_detail(DetailType.JOB_ACCEPTED.value, detail)


class RecordingSqs:
    """Records the message attributes of every send, batched or not."""

    def __init__(self) -> None:
        self.attributes: list[dict[str, Any]] = []

    async def get_queue_url(self, QueueName: str) -> dict[str, str]:  # noqa: N803
        return {"QueueUrl": f"https://sqs.example/{QueueName}"}

    async def send_message(self, QueueUrl: str, MessageBody: str, **extra: Any) -> dict[str, str]:  # noqa: N803
        self.attributes.append(extra.get("MessageAttributes", {}))
        return {"MessageId": "m"}

    async def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803
        self.attributes.extend(e.get("MessageAttributes", {}) for e in Entries)
        return {"Successful": [{"Id": e["Id"], "MessageId": f"m-{e['Id']}"} for e in Entries], "Failed": []}


async def test_every_sqs_message_carries_its_senders_traceparent(provider: TracerProvider) -> None:
    """Plain and batched sends: each entry has its own sender's header; none outside a span."""
    sqs = RecordingSqs()
    plain, batching = SqsWorkQueue(sqs), SqsWorkQueue(sqs, batch_size=10, linger=0.01)  # type: ignore[arg-type]
    tracer = provider.get_tracer("test")

    async def send_in_span(queue: SqsWorkQueue, name: str) -> str:
        with tracer.start_as_current_span(name):
            await queue.send("q", name)
            return trace_headers()[TRACEPARENT]

    expected = [await send_in_span(plain, "plain"),
                *await asyncio.gather(send_in_span(batching, "one"), send_in_span(batching, "two"))]
    await plain.send("q", "untraced", attributes={"sourceQueue": "q"})
    sent = [a.get(TRACEPARENT, {}).get("StringValue") for a in sqs.attributes]
    assert sent == [*expected, None] and len(set(expected)) == 3
    assert sqs.attributes[-1] == {"sourceQueue": {"DataType": "String", "StringValue": "q"}}
