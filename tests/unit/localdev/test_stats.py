"""``localdev.stats``: the dashboard's figures from EMF lines mixed into the services' logs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from localdev.stats import figures, main, read_samples
from services.common.metrics import Metric, configure_metrics, emit, emit_many, reset_metrics


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    """What honcho writes for two services: a prefix, then JSON log lines and EMF lines."""
    lines: list[str] = []
    configure_metrics("renderer", sink=lambda line: lines.append(f"12:00:01 renderer.1 | {line}"))
    for ms in (1000, 2000, 3000, 4000):
        emit_many({Metric.JOBS_COMPLETED: 1, Metric.TIME_TO_IMAGE: ms})
    emit(Metric.MODEL_LATENCY, 500, model="offline", outcome="ok")
    configure_metrics("scraper", sink=lambda line: lines.append(f"12:00:01 scraper.1  | {line}"))
    emit(Metric.JOBS_FAILED, 1, stage="scrape", reason="FetchBlockedError")
    lines.append('12:00:01 scraper.1  | {"event": "job_failed", "level": "warning"}')
    yield lines
    reset_metrics()


def test_emf_lines_are_read_through_the_prefix_and_plain_log_lines_skipped(log_lines: list[str]) -> None:
    """Each metric value becomes one sample with its full dimension set."""
    samples = list(read_samples(log_lines))
    assert [s.name for s in samples].count("TimeToImage") == 4
    failed = next(s for s in samples if s.name == "JobsFailed")
    assert failed.dimensions == {"stage": "scrape", "reason": "FetchBlockedError", "service": "scraper"}
    assert len(samples) == 4 * 2 + 2


def test_the_table_counts_jobs_and_gives_percentiles(log_lines: list[str]) -> None:
    """Completed and failed jobs are counted, time to image is p50/p95 by nearest rank."""
    rows = dict(figures(list(read_samples(log_lines))))
    assert rows["jobs accepted / completed / failed"].startswith("0 / 4 / 1")
    assert rows["time to image"] == "p50 2,000 ms, p95 4,000 ms (n=4)"
    assert rows["  failed at scrape: FetchBlockedError"] == "1"
    assert rows["model offline (ok)"].startswith("p50 500 ms")


def test_the_command_prints_the_table_from_a_log_file(
    log_lines: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m localdev.stats LOG`` prints one row per figure."""
    log = tmp_path / "services.log"
    log.write_text("\n".join(log_lines) + "\n", encoding="utf-8")
    main([str(log)])
    out = capsys.readouterr().out
    assert "time to image" in out and "p95 4,000 ms" in out
