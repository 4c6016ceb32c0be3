"""``productshot batch``: create (or re-attach to) a batch, show its progress, fetch results."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from services.cli import batches, exits
from services.cli.context import Session, exit_codes, session


def _line(view: dict[str, Any]) -> str:
    counts = view.get("counts") or {}
    return (f"{view.get('batchId')} {view.get('status')}: {view.get('done', 0)}/{view.get('total', 0)} done, "
            f"{counts.get('failed', 0)} failed")


def _follow(s: Session, batch_id: str, interval: float, deadline: float | None) -> dict[str, Any]:
    with s.client() as client:
        if not s.live:
            last: list[Any] = [None]

            def report(view: dict[str, Any]) -> None:
                key = (view.get("status"), view.get("done"), view.get("total"))
                if key != last[0]:
                    last[0] = key
                    s.emit(view) if s.json_mode else s.console.print(_line(view), markup=False)

            return batches.poll(client, batch_id, interval, deadline, report)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("[red]{task.fields[failed]} failed"), TextColumn("{task.fields[rate]}/min"),
                   TimeElapsedColumn(), TimeRemainingColumn())
        started = time.monotonic()
        first_done: list[int | None] = [None]
        with Progress(*columns, console=s.console, transient=False) as progress:
            task = progress.add_task("starting", total=None, failed=0, rate="-")

            def show(view: dict[str, Any]) -> None:
                done = int(view.get("done") or 0)
                base = first_done[0] if first_done[0] is not None else done
                first_done[0] = base
                minutes = (time.monotonic() - started) / 60
                rate = f"{(done - base) / minutes:.1f}" if minutes > 0 else "-"
                progress.update(task, description=str(view.get("status")), completed=done,
                                total=view.get("total") or None, failed=(view.get("counts") or {}).get("failed", 0),
                                rate=rate)

            return batches.poll(client, batch_id, interval, deadline, show)


def batch(
    ctx: typer.Context,
    target: Annotated[str | None, typer.Argument(metavar="FILE|URL", help=".csv, .json list, or sitemap/feed URL")]
    = None,
    out: Annotated[Path, typer.Option("--out", help="directory for results.csv (and images.zip)")] = Path("."),
    resume: Annotated[bool, typer.Option("--resume", help="re-attach to the batch recorded in --out")] = False,
    source_type: Annotated[str, typer.Option(help="auto|sitemap|feed|shopify (for a URL)")] = "auto",
    pattern: Annotated[str | None, typer.Option(help="keep only product URLs whose path matches")] = None,
    max_items: Annotated[int | None, typer.Option(
        "--max-items", min=1, max=10_000, help="take at most this many products from the URL's source")] = None,
    format_: Annotated[list[str] | None, typer.Option("--format", help="default formats (repeatable)")] = None,
    output: Annotated[str | None, typer.Option(help="default output: jpeg|png|webp")] = None,
    style: Annotated[str | None, typer.Option(help="default style preset")] = None,
    max_in_flight: Annotated[int | None, typer.Option(
        "--max-in-flight-per-host", help="the batch's requests at once to one shop (within the API's limit)")] = None,
    rate: Annotated[float | None, typer.Option(
        "--requests-per-second-per-host", help="the batch's requests per second to one shop (within the API's limit)")]
    = None,
    images: Annotated[bool, typer.Option("--images", help="also download the images ZIP")] = False,
    timeout: Annotated[float | None, typer.Option(help="give up waiting after this many seconds (exit 4)")] = None,
    interval: Annotated[float, typer.Option(help="seconds between polls")] = 2.0,
) -> None:
    s = session(ctx)
    batch_id = ""

    def hint() -> str:
        return f"Resume with: productshot batch --resume --out {out}" if batch_id else ""

    with exit_codes(s, hint):
        if resume:
            batch_id = batches.load_state(out)
        elif target is None:
            raise ValueError("give FILE|URL, or --resume with the --out of an earlier run")
        else:
            pace = {"maxInFlightPerHost": max_in_flight, "requestsPerSecondPerHost": rate}
            request = batches.build_request(target, source_type, pattern, format_ or [], output, style,
                                            {k: v for k, v in pace.items() if v is not None}, max_items)
            with s.client() as client:
                view = batches.create(client, request)
            batch_id = str(view["batchId"])
            batches.save_state(out, batch_id, target)
        s.console.print(f"batch {batch_id}", markup=False)
        deadline = None if timeout is None else time.monotonic() + timeout
        view = _follow(s, batch_id, interval, deadline)
        with s.client() as client:
            if view.get("status") == "completed":
                written = [batches.fetch_results(client, batch_id, out)]
                if images:
                    written.append(batches.fetch_archive(client, batch_id, out, interval, deadline))
                for path in written:
                    s.console.print(f"wrote {path}", markup=False)
        if not s.json_mode:
            print(_line(view))
            if view.get("sourceNote"):  # the daily quota cut the source short
                print(view["sourceNote"])
    counts = view.get("counts") or {}
    if view.get("status") != "completed":
        raise typer.Exit(exits.FAILED)
    if counts.get("failed") or counts.get("cancelled"):
        raise typer.Exit(exits.PARTIAL)
