"""Pure ASGI middlewares: request ids and access logs, then authentication and rate limits.

RequestContext  (outermost) request id in, out and on every log line; one access line; the
                request's span, the root of the trace of any job it creates (health probes aside)
CORSMiddleware  (when origins are configured) answers preflights before any key check
CallerGate      who is calling (API key -> tenant) and whether they may, right now
"""

from __future__ import annotations

import re
import time
import uuid
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Any

import structlog
from opentelemetry.trace import SpanKind, StatusCode
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.auth import ANONYMOUS_TENANT, Caller, parse_bearer
from services.api.limiter import Limiter, LimitExceededError
from services.api.problem_map import limit_problem
from services.api.problems import Problem, problem_response
from services.common.logging import get_logger
from services.common.metrics import Metric, emit_many, status_class
from services.common.tracing import span

__all__ = ["RequestContext", "CallerGate", "REQUEST_ID_HEADER", "SEED_PREFIX", "V1_PREFIX"]

REQUEST_ID_HEADER = "x-request-id"
V1_PREFIX = "/v1/"
SEED_PREFIX = "/generative-ai-images/"
# A caller's id is kept only when it cannot smuggle anything into logs or headers.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_log = get_logger("services.api.access")
_PROBES = frozenset({"/healthz", "/readyz"})


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        traced = span(f"HTTP {scope['method']}", {"http.request.method": scope["method"], "url.path": scope["path"]},
                      kind=SpanKind.SERVER) if scope["path"] not in _PROBES else nullcontext(None)
        with structlog.contextvars.bound_contextvars(requestId=request_id), traced as request_span:
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:  # noqa: BLE001 - the last line of defence: a problem body, never a stack trace
                _log.exception("unhandled_error", path=scope["path"])
                if not response_started:
                    problem = Problem(
                        500,
                        "An unexpected error occurred; quote the request id when reporting it.",
                        extra={"requestId": request_id},
                    )
                    await problem_response(problem, scope["path"])(scope, receive, send_with_id)
            finally:
                caller: Caller | None = scope["state"].get("caller")
                if request_span is not None:
                    request_span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        request_span.set_status(StatusCode.ERROR)
                elapsed_ms = (time.perf_counter() - started) * 1000
                if scope["path"] not in _PROBES:  # the load balancer's probes would drown the callers
                    emit_many({Metric.API_REQUESTS: 1, Metric.API_LATENCY: elapsed_ms}, status=status_class(status))
                _log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    ms=round(elapsed_ms, 1),
                    tenant=caller.tenant if caller else None,
                    client=(scope.get("client") or ("-",))[0],
                )


class CallerGate:
    """Resolve the caller for /v1 (key required) and the seed paths (key optional by default)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path.startswith(V1_PREFIX) or path.startswith(SEED_PREFIX)):
            await self.app(scope, receive, send)
            return
        api: Any = scope["app"].state.api
        seed = path.startswith(SEED_PREFIX)
        # uvicorn's address: X-Forwarded-For's only when the peer is a trusted proxy.
        client = (scope.get("client") or ("unknown",))[0]
        limiter: Limiter | None = api.limiter
        try:
            try:
                if limiter is not None:
                    limiter.auth_blocked(client)
                caller = self._caller(scope, api, client, seed=seed)
            except Problem as problem:
                # A presented key that fails is a guess; a request without one reveals nothing.
                if problem.status == 401 and limiter is not None and "authorization" in Headers(scope=scope):
                    await limiter.auth_failure(client)
                raise
            wait = api.buckets.take(caller.bucket)
            if wait > 0:
                raise Problem(
                    429,
                    "Too many requests for this API key; slow down.",
                    headers={"Retry-After": api.buckets.retry_after(wait)},
                    extra={"limit": "requestsPerSecond"},
                )
            if limiter is not None:
                await limiter.request(caller)
        except LimitExceededError as exc:
            await self._refuse(limit_problem(exc), seed, path)(scope, receive, send)
            return
        except Problem as problem:
            await self._refuse(problem, seed, path)(scope, receive, send)
            return
        structlog.contextvars.bind_contextvars(tenant=caller.tenant)
        scope.setdefault("state", {})["caller"] = caller
        await self.app(scope, receive, send)

    @staticmethod
    def _caller(scope: Scope, api: Any, client: str, *, seed: bool) -> Caller:
        if api.keys.disabled:
            return Caller(ANONYMOUS_TENANT, f"addr:{client}", authenticated=False)
        token = parse_bearer(Headers(scope=scope).get("authorization"))
        if token is None and seed and not api.settings.seed_require_key:
            return Caller(ANONYMOUS_TENANT, f"addr:{client}", authenticated=False)
        key = api.keys.lookup(token) if token else None
        refusal = (
            ("Send a valid API key as 'Authorization: Bearer <key>'." if not token else "The API key is not valid.")
            if key is None
            else key.refusal(datetime.now(UTC))
        )
        if refusal is not None:
            raise Problem(401, refusal, headers={"WWW-Authenticate": 'Bearer realm="productshot"'})
        assert key is not None  # no refusal: a usable key was found
        return Caller(key.tenant, f"key:{key.id}", authenticated=True, limits=key.limits)

    @staticmethod
    def _refuse(problem: Problem, seed: bool, path: str) -> Response:
        if seed:  # the seed's clients know one error shape: {"message": ...}
            return JSONResponse(
                {"message": problem.detail}, status_code=problem.status, headers=problem.headers
            )
        return problem_response(problem, path)
