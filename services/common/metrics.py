"""Metrics by name: CloudWatch Embedded Metric Format (EMF) lines on stdout.

Each ``emit`` writes one JSON line that CloudWatch Logs turns into metrics when the line
reaches a log group (the ECS tasks' awslogs driver ships stdout there); locally the same
lines sit in the services' logs, where ``python -m localdev.stats`` reads them. The EMF
document is built by AWS Lambda Powertools' provider (one provider per line, so
concurrent tasks never share a metric set); this module only knows the catalogue.

``CATALOGUE`` is the one list of what may be emitted: name, unit and the dimensions each
metric carries (``docs/operations.md`` prints it; ``tests/infra/test_metric_catalogue.py``
keeps the code, that page, the dashboard and the alarms in step). The service dimension
is set once per process by ``configure_metrics``; this module is that global state
(``reset_metrics`` for tests).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

__all__ = ["NAMESPACE", "Metric", "MetricSpec", "CATALOGUE", "configure_metrics", "reset_metrics", "emit",
           "emit_many", "reason_code", "status_class"]

NAMESPACE = "Productshot"


class Metric(StrEnum):
    JOBS_ACCEPTED = "JobsAccepted"
    JOBS_COMPLETED = "JobsCompleted"
    JOBS_FAILED = "JobsFailed"
    STAGE_DURATION = "StageDuration"
    TIME_TO_IMAGE = "TimeToImage"
    QUEUE_WAIT = "QueueWait"
    IN_FLIGHT = "InFlight"
    MESSAGE_RETRIES = "MessageRetries"
    MESSAGE_DEFERRALS = "MessageDeferrals"
    DEAD_LETTERED = "DeadLettered"
    EXTRACTION_CONFIDENCE = "ExtractionConfidence"
    FIELDS_FOUND = "FieldsFound"
    PRICE_RECHECKS = "PriceRechecks"
    MODEL_LATENCY = "ModelLatency"
    MODEL_RETRIES = "ModelRetries"
    MODEL_THROTTLES = "ModelThrottles"
    ESTIMATED_COST = "EstimatedCost"
    BYTES_WRITTEN = "BytesWritten"
    API_REQUESTS = "ApiRequests"
    API_LATENCY = "ApiLatency"
    BATCHES_COMPLETED = "BatchesCompleted"
    BATCHES_FAILED = "BatchesFailed"
    BATCH_ITEMS_RELEASED = "BatchItemsReleased"


@dataclass(frozen=True, slots=True)
class MetricSpec:
    unit: MetricUnit
    #: Dimensions besides ``service``, always all of them (a CloudWatch metric is one exact set);
    #: every line also carries the ``service``-only set, the total over them.
    dimensions: tuple[str, ...]
    meaning: str


_C, _MS, _B, _N = MetricUnit.Count, MetricUnit.Milliseconds, MetricUnit.Bytes, MetricUnit.NoUnit

CATALOGUE: dict[Metric, MetricSpec] = {
    Metric.JOBS_ACCEPTED: MetricSpec(_C, ("mode",), "a job created by the API (mode: scrape or product)"),
    Metric.JOBS_COMPLETED: MetricSpec(_C, (), "a job that reached completed"),
    Metric.JOBS_FAILED: MetricSpec(_C, ("stage", "reason"), "a job marked failed (reason: the error's type)"),
    Metric.STAGE_DURATION: MetricSpec(_MS, ("stage", "outcome"),
                                      "one attempt at a stage, claim to event (outcome: ok, review, error)"),
    Metric.TIME_TO_IMAGE: MetricSpec(_MS, (), "job created to completed, from the job's own timestamps"),
    Metric.QUEUE_WAIT: MetricSpec(_MS, ("queue",), "a message's age when a worker received it (SentTimestamp)"),
    Metric.IN_FLIGHT: MetricSpec(_C, ("queue",), "messages a worker holds after a receive (renderer: generations)"),
    Metric.MESSAGE_RETRIES: MetricSpec(_C, ("queue", "reason"), "a transient failure put back for a retry"),
    Metric.MESSAGE_DEFERRALS: MetricSpec(
        _C, ("queue",), "a message sent again, delayed, to wait its turn at a busy shop host (no receive used)"
    ),
    Metric.DEAD_LETTERED: MetricSpec(_C, ("queue",), "a message moved to its dead-letter queue"),
    Metric.EXTRACTION_CONFIDENCE: MetricSpec(_N, (), "the lowest confidence (0-1) of a scraped product's facts"),
    Metric.FIELDS_FOUND: MetricSpec(_C, (), "how many product fields the scraper found on a page"),
    Metric.PRICE_RECHECKS: MetricSpec(_C, ("outcome",), "a rendered job's printed price against its page "
                                      "(outcome: skipped, unchanged, changed, gone)"),
    Metric.MODEL_LATENCY: MetricSpec(_MS, ("model", "outcome"), "one image-model generation, retries included"),
    Metric.MODEL_RETRIES: MetricSpec(_C, ("model",), "an image-model call retried"),
    Metric.MODEL_THROTTLES: MetricSpec(_C, ("model",), "an image-model call answered 429"),
    Metric.ESTIMATED_COST: MetricSpec(_N, ("model",), "the list price in USD of one generated scene"),
    Metric.BYTES_WRITTEN: MetricSpec(_B, ("kind",), "bytes put to S3 (kind: variant, scene, photo, other)"),
    Metric.API_REQUESTS: MetricSpec(_C, ("status",),
                                    "an HTTP request answered, health probes aside (status: 2xx, 3xx, 4xx, 429, 5xx)"),
    Metric.API_LATENCY: MetricSpec(_MS, ("status",), "time to answer one HTTP request"),
    Metric.BATCHES_COMPLETED: MetricSpec(_C, (), "a batch whose every row is done (announced by BatchCompleted)"),
    Metric.BATCHES_FAILED: MetricSpec(_C, ("reason",), "a batch failed before its rows ran (reason: its error code)"),
    Metric.BATCH_ITEMS_RELEASED: MetricSpec(_C, (), "a batch row's job started by the batch worker (fair share)"),
}

Sink = Callable[[str], None]


def _stdout(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


_service = "unknown"
_enabled = True
_sink: Sink = _stdout


def configure_metrics(service: str, *, enabled: bool = True, sink: Sink | None = None) -> None:
    """Once per process (its ``main``): the service dimension, on or off, where lines go."""
    global _service, _enabled, _sink
    _service, _enabled, _sink = service, enabled, sink or _stdout


def reset_metrics() -> None:
    configure_metrics("unknown")


def emit(metric: Metric, value: float, *, properties: Mapping[str, object] | None = None,
         **dimensions: str) -> None:
    """One metric, one line. ``properties`` (e.g. jobId) ride along, searchable, not dimensions."""
    emit_many({metric: value}, properties=properties, **dimensions)


def emit_many(values: Mapping[Metric, float], *, properties: Mapping[str, object] | None = None,
              **dimensions: str) -> None:
    """Several metrics that share their dimensions, on one line."""
    if not _enabled or not values:
        return
    provider = AmazonCloudWatchEMFProvider(namespace=NAMESPACE, service=_service)
    for metric, value in values.items():
        spec = CATALOGUE[metric]
        if set(spec.dimensions) != set(dimensions):
            raise ValueError(f"{metric} takes dimensions {spec.dimensions}, got {sorted(dimensions)}")
        provider.add_metric(name=metric.value, unit=spec.unit, value=float(value))
    for name, dim_value in dimensions.items():
        provider.add_dimension(name=name, value=dim_value or "none")
    if dimensions:  # and the per-service total, which alarms can watch without naming every value
        provider.add_dimensions(service=_service)
    for key, prop in (properties or {}).items():
        provider.add_metadata(key=key, value=prop)
    _sink(json.dumps(provider.serialize_metric_set(), separators=(",", ":"), default=str))


def reason_code(error: BaseException) -> str:
    """A bounded dimension value for why something failed: the error's code, else its type."""
    code = getattr(error, "code", None)
    return code if isinstance(code, str) and code else type(error).__name__


def status_class(status: int) -> str:
    return "429" if status == 429 else f"{status // 100}xx"
