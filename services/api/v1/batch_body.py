"""Reading POST /v1/batches: a JSON body (items or source) or a CSV file, into a BatchPlan.

Both go through the same model (batch_requests.BatchCreate), so a CSV row is held to the
rules of a JSON item; a CSV problem names its row and column. At most ``_MAX_ERRORS`` field
errors are listed (a 10,000-row file with one bad column would otherwise answer 10,000).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from starlette.requests import Request

from services.api.batch_desk import BatchPlan
from services.api.idempotency import body_hash
from services.api.problems import FieldError, Problem
from services.api.v1.batch_requests import BatchCreate, CsvDefaults
from services.api.v1.body import BodyTooLargeError, field_errors, read_capped, read_json, validate
from services.common.batch import SourceItem, normalise_product_url
from services.common.batch_csv import BatchCsvError, read_items

__all__ = ["read_batch", "jobs_of", "PaceLimits"]

_MAX_ERRORS = 20
_CSV_TYPES = ("text/csv", "application/csv")
_ITEM_FIELD = re.compile(r"^items\.(\d+)(?:\.(.*))?$")


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _refused(errors: list[FieldError], detail: str) -> Problem:
    more = len(errors) - _MAX_ERRORS
    shown = errors[:_MAX_ERRORS]
    suffix = f" ({more} more problems not listed)" if more > 0 else ""
    return Problem(422, detail + suffix, errors=shown)


def _model(data: Any, *, csv: bool) -> BatchCreate:
    try:
        return BatchCreate.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        if csv:  # items.4.product.price -> row 5, price
            for error in errors:
                found = _ITEM_FIELD.match(error["field"])
                if found:
                    column = (found.group(2) or "").removeprefix("product.").split(".")[0] or "row"
                    error["field"] = f"row {int(found.group(1)) + 1}, {column}"
                elif error["field"].startswith("defaults."):  # the query parameters of the upload
                    error["field"] = "query " + error["field"].split(".")[1]
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors[:_MAX_ERRORS]))
        raise _refused(errors, f"The request has invalid fields: {fields}.") from exc


@dataclass(frozen=True, slots=True)
class PaceLimits:
    """The deployment's ceilings for a batch's ``politeness`` (API_BATCH_MAX_*_PER_HOST)."""

    max_in_flight_per_host: int
    max_requests_per_second_per_host: float


def check_pace(body: BatchCreate, limits: PaceLimits) -> None:
    """A pace above this deployment's ceilings is refused in words, not silently lowered."""
    pace, errors = body.politeness, list[FieldError]()
    if pace is None:
        return
    if pace.maxInFlightPerHost is not None and pace.maxInFlightPerHost > limits.max_in_flight_per_host:
        errors.append({"field": "politeness.maxInFlightPerHost", "code": "too_high",
                       "message": f"at most {limits.max_in_flight_per_host} here"})
    rate = pace.requestsPerSecondPerHost
    if rate is not None and rate > limits.max_requests_per_second_per_host:
        errors.append({"field": "politeness.requestsPerSecondPerHost", "code": "too_high",
                       "message": f"at most {limits.max_requests_per_second_per_host:g} here"})
    if errors:
        raise Problem(422, "The batch asks more of each shop than this deployment allows: "
                           + "; ".join(f"{e['field']} {e['message']}" for e in errors) + ".", errors=errors)


def _plan(body: BatchCreate, kind: str) -> BatchPlan:
    politeness = body.politeness.to_json() if body.politeness else None
    if body.source is not None:
        return BatchPlan(kind="source", metadata=dict(body.metadata), politeness=politeness,
                         source=body.source.model_dump(exclude_none=True),
                         defaults=body.defaults.options() if body.defaults else {})
    assert body.items is not None
    return BatchPlan(kind=kind, metadata=dict(body.metadata), politeness=politeness,
                     items=[item.source_item() for item in body.items],
                     defaults=body.defaults.options() if body.defaults else {})


def _csv_item(item: SourceItem) -> dict[str, Any]:
    given: dict[str, Any] = {"product": item.product} if item.product else {"productUrl": item.productUrl}
    return {**given, **item.options}


async def _read_csv(request: Request, limit: int, pace: PaceLimits) -> tuple[BatchPlan, str]:
    query = validate(CsvDefaults, dict(request.query_params))
    defaults, politeness = query.defaults(), query.politeness()
    try:
        raw = await read_capped(request, limit)
    except BodyTooLargeError as exc:
        raise Problem(413, f"The CSV is larger than {limit // 1024} KB; split it into several batches.") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(422, f"The CSV is not UTF-8 text (byte {exc.start} is not); save it as UTF-8.",
                      errors=[{"field": "body", "message": "not UTF-8", "code": "csv_encoding"}]) from exc
    try:
        items = read_items(text)
    except BatchCsvError as exc:
        field = f"row {exc.row}, {exc.column}" if exc.row and exc.column else (f"row {exc.row}" if exc.row else "body")
        raise Problem(422, f"The CSV cannot be used: {exc}",
                      errors=[{"field": field, "message": exc.detail, "code": "csv_invalid"}],
                      extra={"row": exc.row, "column": exc.column}) from exc
    if not items:
        raise Problem(422, "The CSV has a header but no rows; add at least one product.",
                      errors=[{"field": "body", "message": "no rows", "code": "csv_empty"}])
    body = _model({"items": [_csv_item(i) for i in items], **({"defaults": defaults} if defaults else {}),
                   **({"politeness": politeness} if politeness else {})}, csv=True)
    check_pace(body, pace)
    digest = body_hash({"csv": text, "defaults": defaults, **({"politeness": politeness} if politeness else {})})
    return _plan(body, "csv"), digest


async def read_batch(request: Request, limit: int, pace: PaceLimits) -> tuple[BatchPlan, str]:
    """The plan of a POST /v1/batches and its body's digest (for Idempotency-Key)."""
    media = _media(request)
    if media in _CSV_TYPES:
        return await _read_csv(request, limit, pace)
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise Problem(415, "Send the batch as JSON ('Content-Type: application/json') or as a CSV file "
                           "('Content-Type: text/csv').")
    data = await read_json(request, limit)
    body = _model(data, csv=False)
    check_pace(body, pace)
    # The path is part of the digest: one Idempotency-Key reused for a job and a batch is a conflict.
    return _plan(body, "items"), body_hash({"batch": data})


def jobs_of(plan: BatchPlan) -> int:
    """The jobs a batch of items will start: every product row, and each product page once."""
    pages = {normalise_product_url(i.productUrl) for i in plan.items if i.productUrl and not i.product}
    return len(pages) + sum(1 for i in plan.items if i.product)
