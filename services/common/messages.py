"""The queue messages the services exchange, parsed strictly.

scrape-requests carries ``{"schemaVersion": 1, "jobId": ..., "attempt": n}`` (the job
holds everything else), optionally with ``"politeness": {"maxInFlightPerHost": int,
"requestsPerSecondPerHost": number}``, a batch's own pace at the shop (the scraper clamps it
to its limits, docs/fetching.md); render-requests carries the EventBridge envelope of a
ProductScraped event.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from services.common.errors import MalformedMessageError

__all__ = ["JobRef", "PolitenessOverride", "scrape_request_body", "parse_scrape_request", "parse_product_scraped"]

MESSAGE_VERSION = 1


@dataclass(frozen=True, slots=True)
class PolitenessOverride:
    """A batch's own pace at the shop's host; None keeps the scraper's default for that value."""

    max_in_flight_per_host: int | None = None
    requests_per_second_per_host: float | None = None

    @classmethod
    def from_json(cls, value: Any) -> PolitenessOverride:
        """The override from its JSON form; MalformedMessageError when it is not one."""
        return _politeness(value)

    def to_json(self) -> dict[str, int | float]:
        data: dict[str, int | float] = {}
        if self.max_in_flight_per_host is not None:
            data["maxInFlightPerHost"] = self.max_in_flight_per_host
        if self.requests_per_second_per_host is not None:
            data["requestsPerSecondPerHost"] = self.requests_per_second_per_host
        return data


@dataclass(frozen=True, slots=True)
class JobRef:
    job_id: str
    attempt: int
    politeness: PolitenessOverride | None = None


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


def scrape_request_body(job_id: str, attempt: int, politeness: PolitenessOverride | None = None) -> str:
    body: dict[str, Any] = {"schemaVersion": MESSAGE_VERSION, "jobId": job_id, "attempt": attempt}
    if politeness is not None and politeness.to_json():
        body["politeness"] = politeness.to_json()
    return json.dumps(body)


def parse_scrape_request(data: dict[str, Any]) -> JobRef:
    ref = _job_ref(data, "scrape request")
    if data.get("politeness") is None:
        return ref
    return JobRef(ref.job_id, ref.attempt, _politeness(data["politeness"]))


def _politeness(value: Any) -> PolitenessOverride:
    """The override, type-checked only: the scraper clamps the values to its own limits."""
    where = "scrape request: politeness"
    if not isinstance(value, dict) or set(value) - {"maxInFlightPerHost", "requestsPerSecondPerHost"}:
        raise MalformedMessageError(f"{where} must be an object of maxInFlightPerHost, requestsPerSecondPerHost")
    slots, rate = value.get("maxInFlightPerHost"), value.get("requestsPerSecondPerHost")
    if slots is not None and (not isinstance(slots, int) or isinstance(slots, bool) or slots < 1):
        raise MalformedMessageError(f"{where}.maxInFlightPerHost {slots!r} is not a positive integer")
    if rate is not None and (not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 < rate < 1e6):
        raise MalformedMessageError(f"{where}.requestsPerSecondPerHost {rate!r} is not a positive number")
    return PolitenessOverride(slots, None if rate is None else float(rate))


def parse_product_scraped(envelope: dict[str, Any]) -> JobRef:
    if envelope.get("detail-type") != "ProductScraped":
        raise MalformedMessageError(f"render request: unexpected detail-type {envelope.get('detail-type')!r}")
    detail = envelope.get("detail")
    if not isinstance(detail, dict):
        raise MalformedMessageError("render request: the envelope has no detail object")
    return _job_ref(detail, "render request")
