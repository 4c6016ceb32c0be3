"""Print one job's trace as a tree, from the spans the services wrote as JSON lines.

    OTEL_TRACES_EXPORTER=jsonl PRODUCTSHOT_TRACES_FILE=.run/spans.jsonl make up
    .venv/bin/python -m localdev.traces [JOB_ID | TRACE_ID] [--file .run/spans.jsonl]

Without an id, the newest trace that holds a job. Each line: the service, the span's
name, when it started after the trace's first span and how long it took, and ``!`` when it
ended in an error. The integration test (tests/integration/test_traces.py) reads the file
with the same functions.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["SpanRecord", "read_spans", "trace_of", "tree", "main"]

JOB_ATTRIBUTE = "productshot.job_id"


@dataclass(frozen=True, slots=True)
class SpanRecord:
    name: str
    trace_id: str
    span_id: str
    parent_id: str | None
    service: str
    start: datetime
    end: datetime
    error: bool
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def ms(self) -> float:
        return (self.end - self.start).total_seconds() * 1000


def _hex(value: str | None) -> str | None:
    return value.removeprefix("0x") if value else None


def read_spans(lines: Iterable[str]) -> list[SpanRecord]:
    """The spans of the OpenTelemetry SDK's JSON form, one per line (other lines skipped)."""
    spans = []
    for line in lines:
        try:
            raw = json.loads(line)
            spans.append(SpanRecord(
                name=raw["name"], trace_id=str(_hex(raw["context"]["trace_id"])),
                span_id=str(_hex(raw["context"]["span_id"])), parent_id=_hex(raw.get("parent_id")),
                service=str(raw.get("resource", {}).get("attributes", {}).get("service.name", "?")),
                start=datetime.fromisoformat(raw["start_time"]), end=datetime.fromisoformat(raw["end_time"]),
                error=raw.get("status", {}).get("status_code") == "ERROR",
                attributes=dict(raw.get("attributes") or {}),
            ))
        except (ValueError, KeyError, TypeError):
            continue
    return spans


def trace_of(spans: list[SpanRecord], wanted: str | None = None) -> list[SpanRecord]:
    """The spans of one trace: by trace id, by a job id its spans carry, else the newest job's."""
    if wanted and any(s.trace_id == wanted for s in spans):
        trace_id = wanted
    else:
        jobs = [s for s in spans
                if JOB_ATTRIBUTE in s.attributes and (not wanted or s.attributes[JOB_ATTRIBUTE] == wanted)]
        if not jobs:
            return []
        trace_id = max(jobs, key=lambda s: s.start).trace_id
    return sorted((s for s in spans if s.trace_id == trace_id), key=lambda s: s.start)


def tree(spans: list[SpanRecord]) -> list[tuple[int, SpanRecord]]:
    """Depth-first, children in start order; a span whose parent is missing is a root."""
    ids = {s.span_id for s in spans}
    children: dict[str | None, list[SpanRecord]] = {}
    for s in spans:
        children.setdefault(s.parent_id if s.parent_id in ids else None, []).append(s)
    out: list[tuple[int, SpanRecord]] = []

    def walk(parent: str | None, depth: int) -> None:
        for child in sorted(children.get(parent, []), key=lambda s: s.start):
            out.append((depth, child))
            walk(child.span_id, depth + 1)

    walk(None, 0)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("id", nargs="?", help="a job id or a trace id (default: the newest job's trace)")
    parser.add_argument("--file", type=Path, default=Path(os.environ.get("PRODUCTSHOT_TRACES_FILE")
                                                          or Path(os.environ.get("RUN_DIR", ".run")) / "spans.jsonl"))
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"no spans in {args.file} (run the services with OTEL_TRACES_EXPORTER=jsonl)")
        return 1
    spans = trace_of(read_spans(args.file.read_text(encoding="utf-8").splitlines()), args.id)
    if not spans:
        print("no such trace")
        return 1
    first = spans[0].start
    print(f"trace {spans[0].trace_id}: {len(spans)} spans, "
          f"{(max(s.end for s in spans) - first).total_seconds() * 1000:.0f} ms")
    for depth, s in tree(spans):
        offset = (s.start - first).total_seconds() * 1000
        label = f"{'  ' * depth}{s.name}{' !' if s.error else ''}"
        print(f"{s.service.removeprefix('productshot-'):<9} {label:<48} +{offset:7.1f} ms {s.ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
