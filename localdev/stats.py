"""``python -m localdev.stats [--since 10m] [LOG ...]``: the dashboard's figures from local logs.

The services write CloudWatch EMF lines (services/common/metrics.py) beside their log
lines; in AWS CloudWatch turns them into the dashboard. Locally this reads the same lines
from the logs (default ``$RUN_DIR/services.log``, which ``make up`` writes; honcho's
``12:00:00 api.1 | `` prefix is skipped) and prints the same figures as one table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Sample", "read_samples", "figures", "main"]

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True, slots=True)
class Sample:
    """One value of one metric, with the dimensions of its full set and the line's properties."""

    name: str
    value: float
    unit: str
    dimensions: dict[str, str]
    at: float  # epoch seconds
    properties: dict[str, object]


def read_samples(lines: Iterable[str]) -> Iterator[Sample]:
    """Every metric value of every EMF line among ``lines`` (other lines are skipped)."""
    for line in lines:
        start = line.find("{")
        if start < 0 or '"_aws"' not in line:
            continue
        try:
            record = json.loads(line[start:])
            meta = record["_aws"]
            directive = meta["CloudWatchMetrics"][0]
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        keys = max(directive["Dimensions"], key=len) if directive.get("Dimensions") else []
        dims = {k: str(record.get(k, "")) for k in keys}
        names = {m["Name"] for m in directive["Metrics"]}
        props = {k: v for k, v in record.items() if k != "_aws" and k not in names and k not in dims}
        for metric in directive["Metrics"]:
            for value in record.get(metric["Name"], []):
                yield Sample(metric["Name"], float(value), metric.get("Unit", "None"), dims,
                             meta["Timestamp"] / 1000, props)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _spread(values: list[float], unit: str = "ms") -> str:
    if not values:
        return "-"
    return f"p50 {_pct(values, 0.5):,.0f} {unit}, p95 {_pct(values, 0.95):,.0f} {unit} (n={len(values)})"


def figures(samples: list[Sample]) -> list[tuple[str, str]]:
    """The dashboard's widgets as (figure, value) rows."""
    by: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by[s.name].append(s)

    def total(name: str, **match: str) -> float:
        return sum(s.value for s in by[name] if all(s.dimensions.get(k) == v for k, v in match.items()))

    def values(name: str, **match: str) -> list[float]:
        return [s.value for s in by[name] if all(s.dimensions.get(k) == v for k, v in match.items())]

    def grouped(name: str, *keys: str) -> dict[tuple[str, ...], list[float]]:
        groups: dict[tuple[str, ...], list[float]] = defaultdict(list)
        for s in by[name]:
            groups[tuple(s.dimensions.get(k, "") for k in keys)].append(s.value)
        return dict(sorted(groups.items()))

    span_min = max(1 / 60, (max(s.at for s in samples) - min(s.at for s in samples)) / 60) if samples else 1.0
    rows: list[tuple[str, str]] = []
    accepted, completed, failed = total("JobsAccepted"), total("JobsCompleted"), total("JobsFailed")
    rows.append(("jobs accepted / completed / failed",
                 f"{accepted:.0f} / {completed:.0f} / {failed:.0f} (over {_span(span_min)})"))
    rows.append(("jobs per minute: accepted / completed / failed",
                 f"{accepted / span_min:.1f} / {completed / span_min:.1f} / {failed / span_min:.1f}"))
    for (stage, reason), vals in grouped("JobsFailed", "stage", "reason").items():
        rows.append((f"  failed at {stage}: {reason}", f"{sum(vals):.0f}"))
    rows.append(("time to image", _spread(values("TimeToImage"))))
    for (stage, outcome), vals in grouped("StageDuration", "stage", "outcome").items():
        rows.append((f"stage {stage} ({outcome})", _spread(vals)))
    for (queue,), vals in grouped("QueueWait", "queue").items():
        rows.append((f"queue wait {queue}", _spread(vals)))
    for (queue,), vals in grouped("InFlight", "queue").items():
        rows.append((f"in flight {queue} (max)", f"{max(vals):.0f}"))
    for (queue,), vals in grouped("MessageRetries", "queue").items():
        rows.append((f"retries {queue}", f"{sum(vals):.0f}"))
    for (queue,), vals in grouped("DeadLettered", "queue").items():
        rows.append((f"dead-lettered {queue}", f"{sum(vals):.0f}"))
    for (model, outcome), vals in grouped("ModelLatency", "model", "outcome").items():
        rows.append((f"model {model} ({outcome})", _spread(vals)))
    rows.append(("model 429s / retries", f"{total('ModelThrottles'):.0f} / {total('ModelRetries'):.0f}"))
    cost = values("EstimatedCost")
    rows.append(("model cost (estimated)", f"${sum(cost):.4f} over {len(cost)} scenes" if cost else "-"))
    confidence = values("ExtractionConfidence")
    rows.append(("extraction confidence (lowest fact)",
                 f"avg {sum(confidence) / len(confidence):.2f}, min {min(confidence):.2f}" if confidence else "-"))
    found = values("FieldsFound")
    rows.append(("fields found per page", f"avg {sum(found) / len(found):.1f}" if found else "-"))
    for (kind,), vals in grouped("BytesWritten", "kind").items():
        rows.append((f"S3 bytes written: {kind}", f"{sum(vals) / 1e6:.2f} MB in {len(vals)} objects"))
    for (status,), vals in grouped("ApiRequests", "status").items():
        rows.append((f"API {status}", f"{sum(vals):.0f} ({sum(vals) / span_min:.1f}/min)"))
    rows.append(("API latency", _spread(values("ApiLatency"))))
    return rows


def _span(minutes: float) -> str:
    return f"{minutes * 60:.0f} s" if minutes < 1 else f"{minutes:.1f} min"


def _since(text: str) -> float:
    match = _DURATION.match(text)
    if not match:
        raise argparse.ArgumentTypeError("a duration like 90s, 10m, 2h")
    return time.time() - float(match[1]) * _SECONDS[match[2]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localdev.stats", description=__doc__.splitlines()[0])
    parser.add_argument("logs", nargs="*", type=Path,
                        default=[Path(os.environ.get("RUN_DIR", ".run")) / "services.log"])
    parser.add_argument("--since", type=_since, default=0.0, help="only lines newer than this (90s, 10m, 2h)")
    args = parser.parse_args(argv)
    samples: list[Sample] = []
    for path in args.logs:
        if not path.exists():
            parser.error(f"{path} does not exist (start the services with `make up`)")
        with path.open(encoding="utf-8", errors="replace") as lines:
            samples.extend(s for s in read_samples(lines) if s.at >= args.since)
    rows = figures(samples)
    width = max(len(name) for name, _ in rows)
    print(f"{'figure':<{width}}  value\n{'-' * width}  {'-' * 40}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
