"""One trace per job on the local stack: API → SQS → scraper → EventBridge → SQS → renderer.

The services run as processes with ``OTEL_TRACES_EXPORTER=jsonl`` (every span sampled,
written as JSON lines); two product pages and one page without a product go through them.
Each job's spans must share the trace id the job itself records, chained parent to child
across the two queues and the event bus, with a span for the AWS calls, the page fetch,
the model call and the overlay.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localdev.traces import SpanRecord, read_spans, trace_of
from tests.integration import conftest as harness
from tests.integration.conftest import (
    Services,
    purge_queues,
    service_env,
    start_services,
    two_products_and_a_page_without_one,
)
from tests.integration.pages import PageServer


@pytest.fixture(scope="module")
def traced(aws_env: dict[str, str], boto: Any, tmp_path_factory: pytest.TempPathFactory,
           request: pytest.FixtureRequest) -> Iterator[tuple[Services, Path]]:
    """The three services exporting every span to one JSON-lines file."""
    purge_queues(boto.sqs)
    tmp = tmp_path_factory.mktemp("traced")
    spans = tmp / "spans.jsonl"
    env = service_env(aws_env, tmp, OTEL_TRACES_EXPORTER="jsonl", PRODUCTSHOT_TRACES_FILE=str(spans),
                      OTEL_TRACES_SAMPLER="parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG="1")
    services = start_services(env, harness.log_dir_for(request))
    yield services, spans
    for name in list(services.procs):
        services.stop(name)


def _parent(spans: list[SpanRecord], child: SpanRecord) -> SpanRecord:
    [parent] = [s for s in spans if s.span_id == child.parent_id]
    return parent


def _ancestors(spans: list[SpanRecord], child: SpanRecord) -> list[SpanRecord]:
    chain = []
    while child.parent_id is not None:
        child = _parent(spans, child)
        chain.append(child)
    return chain


async def test_each_job_is_one_trace_from_the_request_to_the_rendered_image(
        traced: tuple[Services, Path], pages: PageServer, boto: Any) -> None:
    """Stage spans chain request → scrape → render in the job's traceId; AWS, fetch, model, overlay spans exist."""
    services, path = traced
    ids, finals = await two_products_and_a_page_without_one(services.api, pages)
    for name in list(services.procs):  # a clean stop exports what each process still buffers
        services.stop(name)
    every = read_spans(path.read_text(encoding="utf-8").splitlines())

    for job_id in ids:
        item = boto.dynamodb.get_item(TableName="productshot-jobs", Key={"jobId": {"S": job_id}})["Item"]
        spans = trace_of(every, job_id)
        assert spans and {s.trace_id for s in spans} == {item["traceId"]["S"]}
        [root] = [s for s in spans if s.parent_id is None]
        assert (root.name, root.service) == ("HTTP POST", "productshot-api")
        [scrape] = [s for s in spans if s.name == "scrape"]
        assert scrape.service == "productshot-scraper" and scrape.attributes["productshot.job_id"] == job_id
        # The scrape request carried the request span's traceparent: that span is the scrape's parent.
        assert _parent(spans, scrape) == root
        assert any(s.name.startswith("SQS.SendMessage") and _parent(spans, s) == root for s in spans)
        assert any(s.name == "fetch.page" and _parent(spans, s) == scrape for s in spans)
        calls = {s.name for s in spans if s.attributes.get("rpc.system") == "aws-api"}
        assert {"DynamoDB.PutItem", "DynamoDB.UpdateItem"} <= calls, calls

    for job_id in ids[:2]:
        spans = trace_of(every, job_id)
        [scrape] = [s for s in spans if s.name == "scrape"]
        [render] = [s for s in spans if s.name == "render"]
        # Through EventBridge the parent travels in the event's detail: the span that published it.
        assert _parent(spans, render) == scrape
        assert any(s.name == "EventBridge.PutEvents" and _parent(spans, s) == scrape for s in spans)
        [model] = [s for s in spans if s.name == "model.generate"]
        overlays = [s for s in spans if s.name == "overlay"]
        assert render in _ancestors(spans, model) and overlays and all(_parent(spans, o) == render for o in overlays)
        assert any(s.name == "S3.PutObject" and render in _ancestors(spans, s) for s in spans)
        # (An AWS call may end in an error that is an answer: the scene cache's GetObject miss.)
        assert not any(s.error for s in [scrape, render, model, *overlays])

    failed = trace_of(every, ids[2])
    assert not any(s.name == "render" for s in failed)  # no product: the job ends in the scraper
    [scrape] = [s for s in failed if s.name == "scrape"]
    assert scrape.error
