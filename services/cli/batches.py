"""The batch command's work: build the request, attach to the batch, poll, fetch results.

The Idempotency-Key is derived from the request (sha256 of its body), so running the same
command again after Ctrl-C re-attaches to the same batch instead of creating a second one;
the batch id is also kept in ``<out>/.productshot-batch.json`` for ``--resume``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.cli.client import ApiClient
from services.cli.files import write_atomic, write_json

STATE_FILE = ".productshot-batch.json"
TERMINAL = frozenset({"completed", "failed", "cancelled"})


@dataclass(frozen=True, slots=True)
class BatchRequest:
    content: bytes
    content_type: str
    params: dict[str, str]

    @property
    def idempotency_key(self) -> str:
        digest = hashlib.sha256(self.content_type.encode() + b"\n" + json.dumps(self.params, sort_keys=True).encode()
                                + b"\n" + self.content)
        return "cli-" + digest.hexdigest()


def build_request(target: str, source_type: str, pattern: str | None, formats: list[str],
                  output: str | None, style: str | None, politeness: dict[str, float] | None = None,
                  max_items: int | None = None) -> BatchRequest:
    """A .csv file → text/csv; a .json file (list or {items}) → items; an http(s) URL → source.
    ``politeness`` ({"maxInFlightPerHost", "requestsPerSecondPerHost"}) is the batch's pace at
    each shop (the API keeps it within the deployment's limits); ``max_items`` caps a URL source."""
    pace = {k: v for k, v in (politeness or {}).items() if v is not None}
    defaults: dict[str, Any] = {k: v for k, v in (("output", output), ("style", style)) if v}
    if formats:
        defaults["formats"] = formats
    if target.startswith(("http://", "https://")):
        source: dict[str, Any] = {"type": source_type, "url": target}
        if pattern:
            source["pattern"] = pattern
        if max_items is not None:
            source["maxItems"] = max_items
        body: dict[str, Any] = {"source": source}
    else:
        if pattern or max_items is not None:
            raise ValueError("--pattern and --max-items choose products from a sitemap, feed or shop URL, not a file")
        path = Path(target)
        if not path.is_file():
            raise ValueError(f"{target}: no such file (give a .csv, a .json list, or a sitemap/feed URL)")
        if path.suffix.lower() == ".csv":
            params = {k: v for k, v in (("output", output), ("style", style)) if v}
            if formats:
                params["formats"] = " ".join(formats)
            params.update({k: f"{v:g}" for k, v in pace.items()})
            return BatchRequest(path.read_bytes(), "text/csv", params)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ValueError(f"{target}: not JSON ({exc})") from None
        items = data.get("items") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ValueError(f"{target}: a JSON list of items (or {{\"items\": [...]}}) expected")
        body = {"items": [{"productUrl": i} if isinstance(i, str) else i for i in items]}
    if defaults:
        body["defaults"] = defaults
    if pace:
        body["politeness"] = pace
    return BatchRequest(json.dumps(body, sort_keys=True).encode(), "application/json", {})


def create(client: ApiClient, request: BatchRequest) -> dict[str, Any]:
    return client.json("POST", "/v1/batches", content=request.content, params=request.params,
                       headers={"Content-Type": request.content_type,
                                "Idempotency-Key": request.idempotency_key})


def save_state(out: Path, batch_id: str, target: str) -> None:
    write_json(out / STATE_FILE, {"batchId": batch_id, "input": target})


def load_state(out: Path) -> str:
    path = out / STATE_FILE
    try:
        return str(json.loads(path.read_text())["batchId"])
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"nothing to resume in {out} ({path.name}: {exc})") from None


def poll(client: ApiClient, batch_id: str, interval: float, deadline: float | None,
         on_view: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """GET the batch until it is terminal (returns it) or the deadline passes (TimeoutError)."""
    while True:
        view = client.json("GET", f"/v1/batches/{batch_id}")
        on_view(view)
        if view.get("status") in TERMINAL:
            return view
        if deadline is not None and time.monotonic() >= deadline:
            raise TimeoutError(f"batch {batch_id} still {view.get('status')}")
        time.sleep(interval)


def fetch_results(client: ApiClient, batch_id: str, out: Path) -> Path:
    response = client.request("GET", f"/v1/batches/{batch_id}/results", params={"format": "csv"},
                              headers={"Accept": "text/csv"})
    path = out / "results.csv"
    write_atomic(path, response.content)
    return path


def fetch_archive(client: ApiClient, batch_id: str, out: Path, interval: float,
                  deadline: float | None) -> Path:
    """Ask for the ZIP until it is ready (202 building), then download it via its presigned URL."""
    while True:
        response = client.request("GET", f"/v1/batches/{batch_id}/archive")
        body = response.json()
        if response.status_code == 200 and body.get("status") == "ready":
            path = out / "images.zip"
            size = body.get("size")
            client.download(str(body["url"]), path, size if isinstance(size, int) else None)
            return path
        if deadline is not None and time.monotonic() >= deadline:
            raise TimeoutError(f"archive of batch {batch_id} still building")
        time.sleep(interval)
