"""Reading and validating a JSON request body: 415, 413, 400 and 422, each naming the problem.

Every body the API reads (``/v1`` and the seed paths alike) goes through ``read_capped``:
counted as it arrives and refused at the first byte over the cap, so no upload can make a
task hold more than the cap in memory, whatever Content-Length says or omits.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from services.api.problems import FieldError, Problem

__all__ = ["BodyTooLargeError", "read_capped", "read_json", "validate", "field_errors"]

M = TypeVar("M", bound=BaseModel)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class BodyTooLargeError(Exception):
    """The request body is longer than ``limit`` bytes (declared or counted)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over {limit} bytes")
        self.limit = limit


async def read_capped(request: Request, limit: int) -> bytes:
    """The whole body, or BodyTooLargeError as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():  # counted as it arrives: a missing Content-Length cannot lie
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int) -> Any:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise Problem(415, "Send the body as JSON with 'Content-Type: application/json'.")
    try:
        raw = await read_capped(request, limit)
    except BodyTooLargeError as exc:
        raise Problem(413, f"The request body is larger than {limit // 1024} KB.") from exc
    try:
        data = json.loads(raw, parse_constant=_no_constants)
        # "\ud800" is valid JSON but no UTF-8 text: nothing downstream could store or send it.
        json.dumps(data, ensure_ascii=False).encode()
        return data
    except (ValueError, RecursionError) as exc:
        raise Problem(
            400,
            f"The request body is not valid JSON: {exc}",
            errors=[{"field": "body", "message": "malformed JSON", "code": "json_invalid"}],
        ) from exc


def field_errors(exc: ValidationError) -> list[FieldError]:
    errors: list[FieldError] = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in error["loc"]) or "body"
        message = error["msg"].removeprefix("Value error, ")
        errors.append({"field": loc, "message": message, "code": error["type"]})
    return errors


def validate(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        raise Problem(422, f"The request has invalid fields: {fields}.", errors=errors) from exc
