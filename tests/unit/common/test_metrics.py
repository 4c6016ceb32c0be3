"""The metrics facade: catalogue names, EMF lines with the right dimensions, an off switch."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from services.common.errors import PermanentError
from services.common.metrics import Metric, configure_metrics, emit, emit_many, reason_code, reset_metrics, status_class


@pytest.fixture
def lines() -> Iterator[list[str]]:
    out: list[str] = []
    configure_metrics("renderer", sink=out.append)
    yield out
    reset_metrics()


def test_one_emit_is_one_emf_line_with_its_dimension_set_and_the_service_total(lines: list[str]) -> None:
    """Namespace, name, unit, value, the metric's dimensions plus ``service`` alone, and properties."""
    emit(Metric.MODEL_LATENCY, 1234.5, properties={"jobId": "j1"}, model="gpt-image-1", outcome="ok")
    [line] = lines
    record = json.loads(line)
    [directive] = record["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Productshot"
    assert directive["Metrics"] == [{"Name": "ModelLatency", "Unit": "Milliseconds"}]
    assert sorted(map(sorted, directive["Dimensions"])) == [["model", "outcome", "service"], ["service"]]
    assert record["ModelLatency"] == [1234.5]
    assert (record["service"], record["model"], record["outcome"], record["jobId"]) == (
        "renderer", "gpt-image-1", "ok", "j1")


def test_metrics_without_own_dimensions_carry_the_service_set_alone(lines: list[str]) -> None:
    """JobsCompleted and TimeToImage go out together on one line, dimensioned by service only."""
    emit_many({Metric.JOBS_COMPLETED: 1, Metric.TIME_TO_IMAGE: 5000})
    record = json.loads(lines[0])
    assert record["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service"]]
    assert (record["JobsCompleted"], record["TimeToImage"]) == ([1.0], [5000.0])


def test_a_metric_given_other_dimensions_than_its_catalogue_entry_is_refused(lines: list[str]) -> None:
    """A typo in a dimension would make a metric no dashboard or alarm finds: it raises instead."""
    with pytest.raises(ValueError, match="takes dimensions"):
        emit(Metric.JOBS_FAILED, 1, stage="scrape")
    assert lines == []


def test_switched_off_nothing_is_written() -> None:
    """PRODUCTSHOT_METRICS=false: configure_metrics(enabled=False) makes emit a no-op."""
    out: list[str] = []
    configure_metrics("api", enabled=False, sink=out.append)
    try:
        emit(Metric.API_REQUESTS, 1, status="2xx")
    finally:
        reset_metrics()
    assert out == []


def test_reason_codes_and_status_classes_stay_a_small_set() -> None:
    """A failure's reason dimension is its type (or code), never its message; 429 has its own class."""

    class Coded(Exception):
        code = "FETCH_BLOCKED"

    assert reason_code(PermanentError("the page at https://x/1 said no")) == "PermanentError"
    assert reason_code(Coded()) == "FETCH_BLOCKED"
    assert [status_class(s) for s in (200, 302, 404, 429, 503)] == ["2xx", "3xx", "4xx", "429", "5xx"]
