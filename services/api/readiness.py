"""GET /healthz (the process answers) and GET /readyz (DynamoDB, SQS and S3 answer too:
the jobs and batches tables, the scrape and batch-work queues, the bucket).

``/readyz`` answers ready or not ready and nothing more: which dependency failed, and how,
goes to the log line ``not_ready`` only (a public probe must not describe our insides).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from services.api.problems import Problem, problem_response
from services.api.state import ApiState
from services.common.logging import get_logger

__all__ = ["healthz", "readyz"]

_log = get_logger(__name__)


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _check(call: Awaitable[Any], limit: float) -> str:
    try:
        await asyncio.wait_for(call, limit)
    except TimeoutError:
        return "timeout"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; the log says which
        return f"error: {type(exc).__name__}: {exc}"
    return "ok"


async def readyz(request: Request) -> Response:
    state: ApiState = request.app.state.api
    timeout = state.settings.readiness_timeout
    names = ("dynamodb", "sqs", "s3", "batches", "batch_queue")
    results = await asyncio.gather(
        _check(state.store.check(), timeout),
        _check(state.queue.check(state.common.scrape_queue), timeout),
        _check(state.files.check(), timeout),
        _check(state.batches.check(), timeout),
        _check(state.queue.check(state.common.batch_queue), timeout),
    )
    if all(result == "ok" for result in results):
        return JSONResponse({"status": "ready"})
    _log.warning("not_ready", **{name: result for name, result in zip(names, results, strict=True) if result != "ok"})
    return problem_response(Problem(503, "Not ready."), request.url.path)
