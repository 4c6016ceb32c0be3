"""The job commands' work: wait for a job, show its stage, download its images."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.cli.client import ApiClient
from services.cli.files import check_image, image_name, write_atomic, write_json

TERMINAL = frozenset({"completed", "failed"})
STAGES = ("pending", "scraping", "review", "scraped", "rendering", "completed")


class WaitTimeout(Exception):
    """The job did not reach a terminal state within the time given."""


def summary(job: dict[str, Any]) -> str:
    """One line: id, status, and the facts or the error once known."""
    parts = [str(job.get("jobId")), str(job.get("status"))]
    product = job.get("product") or {}
    if product.get("name"):
        price = " ".join(str(product[k]) for k in ("price", "currency") if product.get(k))
        parts.append(f"{product['name']}" + (f" ({price})" if price else ""))
    error = job.get("error")
    if error:
        parts.append(f"{error.get('code')}: {error.get('reason')}")
    images = job.get("images") or []
    if images:
        parts.append(f"{len(images)} image(s)")
    return "  ".join(parts)


def wait(client: ApiClient, job_id: str, timeout: float | None, interval: float,
         on_change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Poll until the job is terminal; ``on_change`` sees each new status. Raises WaitTimeout."""
    deadline = None if timeout is None else time.monotonic() + timeout
    last = None
    while True:
        job = client.get_job(job_id)
        if job.get("status") != last:
            last = job.get("status")
            on_change(job)
        if last in TERMINAL:
            return job
        if deadline is not None and time.monotonic() >= deadline:
            raise WaitTimeout(f"job {job_id} still {last} after {timeout:g}s")
        time.sleep(interval)


def download(client: ApiClient, job: dict[str, Any], out: Path) -> list[Path]:
    """Each image of the job into ``out`` (checked, atomically) and the job JSON beside them."""
    written: list[Path] = []
    for image in job.get("images") or []:
        url = image.get("url")
        if not url:
            continue
        response = client.stream_to(str(url))
        check_image(image, response.content, response.headers.get("content-type"))
        path = out / image_name(str(job["jobId"]), image)
        write_atomic(path, response.content)
        written.append(path)
    safe = {k: v for k, v in job.items() if k != "images"}
    safe["images"] = [{k: v for k, v in i.items() if k != "url"} for i in job.get("images") or []]
    write_json(out / f"{job['jobId']}.json", safe)
    return written


def job_body(url: str | None, product_json: str | None, formats: list[str], output: str | None,
             style: str | None) -> dict[str, Any]:
    """The POST /v1/jobs body; ValueError when neither or both of URL and product are given."""
    if bool(url) == bool(product_json):
        raise ValueError("give exactly one of URL or --product-json")
    body: dict[str, Any] = {}
    if url:
        body["productUrl"] = url
    else:
        text = Path(product_json[1:]).read_text() if product_json and product_json.startswith("@") else product_json
        product = json.loads(text or "")
        if not isinstance(product, dict):
            raise ValueError("--product-json must be a JSON object")
        body["product"] = product
    if formats:
        body["formats"] = formats
    if output:
        body["output"] = output
    if style:
        body["style"] = style
    return body
