"""The HTTP edge: the service layer's domain errors as problem details (status, body, headers).

The service modules raise domain errors only; this table is the one place that says what
each one looks like to a client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from services.api.idempotency import (
    IdempotencyKeyInProgressError,
    IdempotencyKeyInvalidError,
    IdempotencyKeyReusedError,
    IdempotencyStoreUnavailableError,
)
from services.api.job_removal import JobRunningAgainError
from services.api.limiter import LimitExceededError
from services.api.problems import Problem, problem_response
from services.common.source_image import SourceImageStorageError, SourceImageUnreachableError, SourceImageUnusableError

__all__ = ["PROBLEMS", "problem_for", "domain_problem", "limit_problem"]

_RETRY_SOON = {"Retry-After": "5"}


def _unusable_image(exc: Any) -> Problem:
    return Problem(
        422,
        f"product.imageUrl could not be used: {exc.reason}",
        errors=[{"field": "product.imageUrl", "message": exc.reason, "code": "unfetchable"}],
    )


PROBLEMS: dict[type[Exception], Callable[[Any], Problem]] = {
    IdempotencyKeyInvalidError: lambda exc: Problem(
        400,
        exc.reason,
        errors=[{"field": "Idempotency-Key", "message": "invalid header value", "code": "invalid"}],
    ),
    IdempotencyKeyInProgressError: lambda exc: Problem(409, exc.reason),
    IdempotencyKeyReusedError: lambda exc: Problem(409, exc.reason),
    IdempotencyStoreUnavailableError: lambda exc: Problem(503, exc.reason),
    SourceImageUnusableError: _unusable_image,
    SourceImageUnreachableError: lambda exc: Problem(
        503, f"product.imageUrl could not be fetched right now ({exc.reason}); try again.", headers=_RETRY_SOON
    ),
    SourceImageStorageError: lambda _: Problem(503, "Image storage is unavailable; try again shortly."),
    JobRunningAgainError: lambda exc: Problem(409, exc.reason),
    LimitExceededError: lambda exc: limit_problem(exc),
}


def limit_problem(exc: LimitExceededError) -> Problem:
    """429 naming the limit (``limit``: requestsPerSecond, jobsPerDay or authFailures)."""
    return Problem(
        429, exc.detail, headers={"Retry-After": exc.retry_after_header}, extra={"limit": exc.limit}
    )


def problem_for(exc: Exception) -> Problem:
    """The problem ``exc`` is to the client (the closest entry of its class hierarchy)."""
    for cls in type(exc).__mro__:
        if cls in PROBLEMS:
            return PROBLEMS[cls](exc)
    return Problem(500, "Unexpected error.")


async def domain_problem(request: Request, exc: Exception) -> Response:
    return problem_response(problem_for(exc), request.url.path)
