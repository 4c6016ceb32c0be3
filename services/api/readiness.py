"""GET /healthz (the process answers) and GET /readyz (DynamoDB, SQS and S3 answer too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from services.api.problems import Problem, problem_response
from services.api.state import ApiState

__all__ = ["healthz", "readyz"]


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _check(call: Awaitable[Any], limit: float) -> str:
    try:
        await asyncio.wait_for(call, limit)
    except TimeoutError:
        return "timeout"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; the name says which
        return f"error: {type(exc).__name__}"
    return "ok"


async def readyz(request: Request) -> Response:
    state: ApiState = request.app.state.api
    timeout = state.settings.readiness_timeout
    names = ("dynamodb", "sqs", "s3")
    results = await asyncio.gather(
        _check(state.store.check(), timeout),
        _check(state.queue.check(state.common.scrape_queue), timeout),
        _check(state.files.check(), timeout),
    )
    checks = dict(zip(names, results, strict=True))
    if all(result == "ok" for result in results):
        return JSONResponse({"status": "ready", "checks": checks})
    failing = ", ".join(name for name, result in checks.items() if result != "ok")
    return problem_response(
        Problem(503, f"Not ready: {failing} unreachable.", extra={"checks": checks}), request.url.path
    )
