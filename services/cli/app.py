"""``productshot``: submit, watch and download jobs and batches over the HTTP API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from services.cli import exits
from services.cli.batch_command import batch
from services.cli.config import ConfigError, resolve
from services.cli.context import Session, exit_codes, session
from services.cli.jobs import WaitTimeout, download, job_body, summary, wait

app = typer.Typer(help=f"Productshot from the command line. {exits.HELP}", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
app.command(help="Create a batch from a CSV, a JSON list, or a sitemap/feed/shop URL and follow it.",
            epilog=exits.HELP)(batch)

Out = Annotated[Path | None, typer.Option("--out", help="directory for the images and the job JSON")]
Timeout = Annotated[float | None, typer.Option(help="give up waiting after this many seconds (exit 4)")]
Interval = Annotated[float, typer.Option(help="seconds between polls")]


@app.callback()
def main_options(
    ctx: typer.Context,
    api: Annotated[str | None, typer.Option(help="API base URL [env PRODUCTSHOT_API]")] = None,
    key: Annotated[str | None, typer.Option(help="API key [env PRODUCTSHOT_KEY]", show_default=False)] = None,
    profile: Annotated[str | None, typer.Option(help="config file profile [env PRODUCTSHOT_PROFILE]")] = None,
    json_mode: Annotated[bool, typer.Option("--json", help="JSON lines on stdout, for scripts")] = False,
) -> None:
    console = Console(stderr=True, soft_wrap=True)  # messages stay one line
    try:
        config = resolve(api, key, profile)
    except ConfigError as exc:
        console.print(f"error: {exc}", markup=False)
        raise typer.Exit(exits.USAGE) from None
    ctx.obj = Session(config, json_mode, console)


def _finish(s: Session, job: dict, out: Path | None) -> None:
    if out is not None and job.get("status") == "completed":
        with s.client() as client:
            paths = download(client, job, out)
        for path in paths:
            s.console.print(f"wrote {path} ({path.stat().st_size} bytes)", markup=False)
    if job.get("status") == "failed":
        raise typer.Exit(exits.FAILED)


def _follow(s: Session, job_id: str, timeout: float | None, interval: float) -> dict:
    def show(job: dict) -> None:
        if s.json_mode:
            s.emit(job)
        else:
            s.console.print(summary(job), markup=False)
            if job.get("status") == "review":  # it waits for a person, not for the pipeline
                s.console.print(f"waiting for a review answer: POST /v1/jobs/{job_id}/review (docs/api.md)",
                                markup=False)

    with s.client() as client:
        try:
            return wait(client, job_id, timeout, interval, show)
        except WaitTimeout as exc:
            raise TimeoutError(str(exc)) from None


@app.command(help="Create a job from a product URL (or --product-json).", epilog=exits.HELP)
def submit(
    ctx: typer.Context,
    url: Annotated[str | None, typer.Argument(help="the product page URL")] = None,
    product_json: Annotated[str | None, typer.Option(help="product facts as JSON, or @file.json")] = None,
    format_: Annotated[list[str] | None, typer.Option("--format", help="square|landscape|story (repeatable)")] = None,
    output: Annotated[str | None, typer.Option(help="jpeg|png|webp")] = None,
    style: Annotated[str | None, typer.Option(help="renderer style preset")] = None,
    idempotency_key: Annotated[str | None, typer.Option(help="send as Idempotency-Key")] = None,
    wait_: Annotated[bool, typer.Option("--wait", help="follow the job until it ends")] = False,
    out: Out = None,
    timeout: Timeout = None,
    interval: Interval = 2.0,
) -> None:
    s = session(ctx)
    with exit_codes(s, lambda: f"Follow it with: productshot watch {job_id}"):
        job_id = "JOB"
        body = job_body(url, product_json, format_ or [], output, style)
        with s.client() as client:
            job = client.submit_job(body, idempotency_key)
        job_id = str(job["jobId"])
        if not (wait_ or out):
            s.emit(job) if s.json_mode else print(job_id)
            return
        job = _follow(s, job_id, timeout, interval)
        _finish(s, job, out)


@app.command(help="Show a job in one line (or --json).", epilog=exits.HELP)
def status(ctx: typer.Context, job_id: Annotated[str, typer.Argument(metavar="JOB")]) -> None:
    s = session(ctx)
    with exit_codes(s), s.client() as client:
        job = client.get_job(job_id)
        s.emit(job) if s.json_mode else print(summary(job))
    if job.get("status") == "failed":
        raise typer.Exit(exits.FAILED)


@app.command(help="Follow a job's stages live until it ends.", epilog=exits.HELP)
def watch(ctx: typer.Context, job_id: Annotated[str, typer.Argument(metavar="JOB")],
          out: Out = None, timeout: Timeout = None, interval: Interval = 2.0) -> None:
    s = session(ctx)
    with exit_codes(s, lambda: f"Again: productshot watch {job_id}"):
        job = _follow(s, job_id, timeout, interval)
        _finish(s, job, out)


@app.command(help="Download a job's images and its JSON into --out.", epilog=exits.HELP)
def get(ctx: typer.Context, job_id: Annotated[str, typer.Argument(metavar="JOB")],
        out: Annotated[Path, typer.Option("--out", help="directory to write into")]) -> None:
    s = session(ctx)
    with exit_codes(s), s.client() as client:
        job = client.get_job(job_id)
        if job.get("status") != "completed":
            s.console.print(f"job is {job.get('status')}; no images to download", markup=False)
            raise typer.Exit(exits.FAILED)
        for path in download(client, job, out):
            s.emit({"path": str(path), "size": path.stat().st_size}) if s.json_mode else print(path)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True}, add_help_option=False,
             help="The dashboard's figures from the local services' logs (same as `make stats`).")
def stats(ctx: typer.Context) -> None:
    from localdev.stats import main as stats_main

    stats_main(list(ctx.args))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
