"""The productshot CLI against a local fake of the API contract (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from services.cli import exits
from services.cli.app import app
from tests.unit.cli.fake_api import IMAGE, FakeState, serve


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeState]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("PRODUCTSHOT_API", raising=False)
    monkeypatch.delenv("PRODUCTSHOT_KEY", raising=False)
    with serve() as state:
        yield state


def run(state: FakeState, *args: str):
    return CliRunner().invoke(app, ["--api", state.base, "--key", "sekret", *args])


def test_submit_wait_out_downloads_the_checked_image_and_job_json(api: FakeState, tmp_path: Path) -> None:
    """submit --wait --out follows the job to completed and writes its image bytes and JSON (no URL kept)."""
    out = tmp_path / "out"
    result = run(api, "submit", "https://shop.example/p/1", "--wait", "--out", str(out), "--interval", "0")
    assert result.exit_code == exits.OK, result.output
    assert (out / "j1-square.jpg").read_bytes() == IMAGE
    saved = json.loads((out / "j1.json").read_text())
    assert saved["status"] == "completed" and "url" not in saved["images"][0]
    assert not list(out.glob("*.part"))
    # the key goes to the API only, never to the presigned image URL
    assert set(api.auth_seen) == {("v1", "Bearer sekret"), ("s3", None)}
    assert "sekret" not in result.output


def test_an_image_shorter_than_announced_is_not_written(api: FakeState, tmp_path: Path) -> None:
    """A download whose size differs from the job view is refused (exit 3) and leaves no file."""
    api.short_image, api.job_polls = True, 4
    result = run(api, "get", "j1", "--out", str(tmp_path / "o"))
    assert result.exit_code == exits.API and "announced" in result.output
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_a_failed_job_exits_1_with_its_error_code(api: FakeState) -> None:
    """watch ends with exit 1 and shows the failure code when the job fails."""
    api.fail_job = True
    result = run(api, "watch", "j1", "--interval", "0")
    assert result.exit_code == exits.FAILED
    assert "render_failed" in result.output


def test_a_problem_becomes_one_line_and_exit_3(api: FakeState) -> None:
    """A 422 problem+json is printed as one line naming the field; the exit code is 3."""
    result = run(api, "submit", "https://shop.example/p/1", "--format", "bogus")
    assert result.exit_code == exits.API
    assert "HTTP 422" in result.output and "formats: unknown format" in result.output


def test_429_is_retried_after_retry_after(api: FakeState) -> None:
    """Two 429 answers with Retry-After are retried; status then succeeds and prints one line."""
    api.throttle_next = 2
    result = run(api, "status", "j1")
    assert result.exit_code == exits.OK, result.output
    assert result.stdout.startswith("j1  pending")


def test_status_json_prints_the_job(api: FakeState) -> None:
    """--json status prints the job view as JSON on stdout."""
    result = run(api, "--json", "status", "j1")
    assert json.loads(result.stdout)["jobId"] == "j1"


def test_unknown_job_is_exit_3(api: FakeState) -> None:
    """A 404 for an unknown job is an API error (3)."""
    assert run(api, "status", "nope").exit_code == exits.API


def test_wait_timeout_is_exit_4(api: FakeState) -> None:
    """--timeout 0 gives up after the first non-terminal poll with exit 4."""
    result = run(api, "watch", "j1", "--timeout", "0", "--interval", "0")
    assert result.exit_code == exits.TIMEOUT


def test_neither_url_nor_product_is_a_usage_error(api: FakeState) -> None:
    """submit with no URL and no --product-json exits 2."""
    assert run(api, "submit").exit_code == exits.USAGE


def test_unreachable_api_is_exit_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A closed port is a network error: exit 3, one line."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["--api", "http://127.0.0.1:9", "status", "j1"])
    assert result.exit_code == exits.API
    assert "cannot reach the API" in result.output


def test_batch_csv_progresses_writes_results_and_reports_failed_items(api: FakeState, tmp_path: Path) -> None:
    """A CSV is POSTed as text/csv with a derived Idempotency-Key; results.csv lands; 1 failed item → exit 5."""
    csv = tmp_path / "in.csv"
    csv.write_text("productUrl\nhttps://a/1\nhttps://a/2\n")
    out = tmp_path / "out"
    result = run(api, "--json", "batch", str(csv), "--out", str(out), "--interval", "0")
    assert result.exit_code == exits.PARTIAL, result.output
    post = api.batch_posts[0]
    assert post["ctype"] == "text/csv" and post["body"] == csv.read_bytes() and post["key"].startswith("cli-")
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert lines[-1]["status"] == "completed" and lines[-1]["done"] == 4
    assert (out / "results.csv").read_text().startswith("row,productUrl")
    assert json.loads((out / ".productshot-batch.json").read_text())["batchId"] == "b1"


def test_batch_same_input_sends_the_same_idempotency_key(api: FakeState, tmp_path: Path) -> None:
    """Running the same batch twice sends the same key, so the API re-attaches to the same batch."""
    items = tmp_path / "in.json"
    items.write_text(json.dumps(["https://a/1", "https://a/2"]))
    for _ in range(2):
        run(api, "batch", str(items), "--out", str(tmp_path / "o"), "--interval", "0")
    keys = {p["key"] for p in api.batch_posts}
    assert len(api.batch_posts) == 2 and len(keys) == 1
    assert json.loads(api.batch_posts[0]["body"])["items"][0] == {"productUrl": "https://a/1"}


def test_batch_pace_flags_go_in_the_body_for_a_url_and_in_the_query_for_a_csv(api: FakeState, tmp_path: Path) -> None:
    """--max-in-flight-per-host and --requests-per-second-per-host become the batch's politeness."""
    flags = ("--max-in-flight-per-host", "3", "--requests-per-second-per-host", "2.5", "--interval", "0")
    run(api, "batch", "https://shop.example/sitemap.xml", "--out", str(tmp_path / "u"), *flags)
    body = json.loads(api.batch_posts[0]["body"])
    assert body["source"] == {"type": "auto", "url": "https://shop.example/sitemap.xml"}
    assert body["politeness"] == {"maxInFlightPerHost": 3, "requestsPerSecondPerHost": 2.5}
    csv = tmp_path / "in.csv"
    csv.write_text("productUrl\nhttps://a/1\n")
    run(api, "batch", str(csv), "--out", str(tmp_path / "c"), *flags)
    assert api.batch_posts[1]["query"] == {"maxInFlightPerHost": "3", "requestsPerSecondPerHost": "2.5"}


def test_batch_max_items_caps_a_url_source_and_is_refused_for_a_file(api: FakeState, tmp_path: Path) -> None:
    """--max-items and --pattern go into the source; with a file they are a usage error, not ignored."""
    run(api, "batch", "https://shop.example/feed.xml", "--source-type", "feed", "--max-items", "30",
        "--out", str(tmp_path / "u"), "--interval", "0")
    assert json.loads(api.batch_posts[0]["body"])["source"] == {"type": "feed", "url": "https://shop.example/feed.xml",
                                                                "maxItems": 30}
    csv = tmp_path / "in.csv"
    csv.write_text("productUrl\nhttps://a/1\n")
    result = run(api, "batch", str(csv), "--max-items", "5", "--out", str(tmp_path / "c"))
    assert result.exit_code == exits.USAGE and "not a file" in result.output
    assert len(api.batch_posts) == 1


def test_batch_resume_reattaches_without_posting(api: FakeState, tmp_path: Path) -> None:
    """--resume reads the batch id from --out and only polls."""
    out = tmp_path / "o"
    out.mkdir()
    (out / ".productshot-batch.json").write_text(json.dumps({"batchId": "b1"}))
    result = run(api, "batch", "--resume", "--out", str(out), "--interval", "0")
    assert result.exit_code == exits.PARTIAL, result.output
    assert api.batch_posts == []


def test_a_source_cut_short_by_the_daily_quota_says_so_after_the_summary(api: FakeState, tmp_path: Path) -> None:
    """The batch's sourceNote is the last line; a batch without one ends with the summary."""
    note = ("The daily quota of 4 jobs was reached after 4 of this source's products; the rest were not added. "
            "It resets at 00:00 UTC.")
    plain = run(api, "batch", "https://shop.example/sitemap.xml", "--out", str(tmp_path / "a"), "--interval", "0")
    assert plain.stdout.splitlines()[-1] == "b1 completed: 4/4 done, 1 failed"
    api.source_note, api.batch_polls = note, 0
    cut = run(api, "batch", "https://shop.example/sitemap.xml", "--out", str(tmp_path / "b"), "--interval", "0")
    assert cut.stdout.splitlines()[-2:] == ["b1 completed: 4/4 done, 1 failed", note]


def test_resume_with_nothing_recorded_is_a_usage_error(api: FakeState, tmp_path: Path) -> None:
    """--resume on a directory without a state file exits 2 and says why."""
    result = run(api, "batch", "--resume", "--out", str(tmp_path))
    assert result.exit_code == exits.USAGE and "nothing to resume" in result.output


def test_stats_runs_the_same_code_as_make_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """productshot stats LOG prints the localdev.stats table for that log (one implementation)."""
    from localdev.stats import main as stats_main

    log = tmp_path / "services.log"
    log.write_text('12:00:00 api.1 | {"_aws": {"Timestamp": 1700000000000, "CloudWatchMetrics": [{"Namespace": "P",'
                   ' "Dimensions": [["Service"]], "Metrics": [{"Name": "JobsAccepted", "Unit": "Count"}]}]},'
                   ' "Service": "api", "JobsAccepted": [3]}\n')
    stats_main([str(log)])
    expected = capsys.readouterr().out
    result = CliRunner().invoke(app, ["stats", str(log)])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected and "figure" in expected
