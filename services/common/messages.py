"""The queue messages the services exchange, parsed strictly.

scrape-requests carries ``{"schemaVersion": 1, "jobId": ..., "attempt": n}`` (the job
holds everything else); render-requests carries the EventBridge envelope of a
ProductScraped event.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from services.common.errors import MalformedMessageError

__all__ = ["JobRef", "scrape_request_body", "parse_scrape_request", "parse_product_scraped"]

MESSAGE_VERSION = 1


@dataclass(frozen=True, slots=True)
class JobRef:
    job_id: str
    attempt: int


def _job_ref(data: dict[str, Any], where: str) -> JobRef:
    version = data.get("schemaVersion")
    if version != MESSAGE_VERSION:
        raise MalformedMessageError(f"{where}: unknown schemaVersion {version!r} (this build reads {MESSAGE_VERSION})")
    job_id, attempt = data.get("jobId"), data.get("attempt")
    try:
        uuid.UUID(str(job_id))
    except ValueError as exc:
        raise MalformedMessageError(f"{where}: jobId {job_id!r} is not a UUID") from exc
    if not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 1:
        raise MalformedMessageError(f"{where}: attempt {attempt!r} is not a positive integer")
    return JobRef(str(job_id), attempt)


def scrape_request_body(job_id: str, attempt: int, politeness: dict[str, Any] | None = None) -> str:
    """``politeness`` (a batch's per-host limits, docs/batches.md) rides along only when given;
    the scraper clamps it to its own maxima."""
    body: dict[str, Any] = {"schemaVersion": MESSAGE_VERSION, "jobId": job_id, "attempt": attempt}
    if politeness:
        body["politeness"] = politeness
    return json.dumps(body)


def parse_scrape_request(data: dict[str, Any]) -> JobRef:
    return _job_ref(data, "scrape request")


def parse_product_scraped(envelope: dict[str, Any]) -> JobRef:
    if envelope.get("detail-type") != "ProductScraped":
        raise MalformedMessageError(f"render request: unexpected detail-type {envelope.get('detail-type')!r}")
    detail = envelope.get("detail")
    if not isinstance(detail, dict):
        raise MalformedMessageError("render request: the envelope has no detail object")
    return _job_ref(detail, "render request")
