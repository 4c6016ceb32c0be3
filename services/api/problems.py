"""RFC 9457 problem details: the one error shape of the versioned API.

Handlers raise ``Problem``; the app's exception handlers and the middlewares turn it (and
Starlette's own HTTP errors, and anything unexpected) into ``application/problem+json``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse, Response

__all__ = ["Problem", "FieldError", "problem_response", "PROBLEM_TYPE_BASE", "PROBLEM_CONTENT_TYPE"]

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://productshot.dev/problems/"

# Stable slugs for the ``type`` URI; clients branch on these, not on ``title`` or ``detail``.
_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "rate-limited",
    500: "internal-error",
    503: "service-unavailable",
}

FieldError = dict[str, str]  # {"field": "product.price", "message": "...", "code": "..."}


class Problem(Exception):
    """An HTTP error for the caller, with what they need to fix it."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        slug: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.slug = slug or _SLUGS.get(status, "error")
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


def problem_response(problem: Problem, instance: str | None = None) -> Response:
    return JSONResponse(
        problem.body(instance),
        status_code=problem.status,
        headers=problem.headers,
        media_type=PROBLEM_CONTENT_TYPE,
    )
