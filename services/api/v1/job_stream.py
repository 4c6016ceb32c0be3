"""GET /v1/jobs/{jobId}/events: a job's progress as server-sent events, for the web app.

The stream is an ordinary authenticated GET (the key in the Authorization header, never in
the URL): browsers read it with fetch() and a stream reader, since EventSource cannot send
headers. Each change of the job (its ``updatedAt``) is one ``job`` event carrying the same
body as GET /v1/jobs/{jobId}; a comment line keeps idle connections open. The stream ends
when the job is completed or failed (or deleted: a ``gone`` event), and after
API_EVENTS_MAX_SECONDS so no connection is held for ever: the client reconnects, and the first
event of every connection is the job as it is now, so nothing is missed in between.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from services.api.state import ApiState
from services.api.v1.routes import _owned_job
from services.api.v1.views import job_out
from services.common.job_states import TERMINAL

__all__ = ["job_events", "sse_event"]

_KEEPALIVE_SECONDS = 15.0
_RETRY_MS = 2000


def sse_event(event: str, data: str, event_id: str | None = None) -> str:
    """One event in the text/event-stream framing (``data`` holds no newline: compact JSON)."""
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {event}\ndata: {data}\n\n"


async def _changes(state: ApiState, job_id: str, tenant: str) -> AsyncIterator[str]:
    yield f"retry: {_RETRY_MS}\n\n"
    started = last_beat = time.monotonic()
    seen = ""
    settings = state.settings
    while time.monotonic() - started < settings.events_max_seconds:
        job = await state.store.get(job_id)
        if job is None or job.tenant != tenant:
            yield sse_event("gone", json.dumps({"jobId": job_id}))
            return
        marker = f"{job.attempt}:{job.updatedAt}:{job.status.value}"
        if marker != seen:
            seen, last_beat = marker, time.monotonic()
            body = (await job_out(job, state.presigner)).model_dump(mode="json")
            yield sse_event("job", json.dumps(body, separators=(",", ":")), marker)
            if job.status in TERMINAL:
                return
        elif time.monotonic() - last_beat >= _KEEPALIVE_SECONDS:
            last_beat = time.monotonic()
            yield ": keep-alive\n\n"
        await asyncio.sleep(settings.events_poll_seconds)


async def job_events(request: Request) -> Response:
    state: ApiState = request.app.state.api
    caller = request.state.caller
    job = await _owned_job(state, caller, request.path_params["jobId"])  # 404 before the stream opens
    return StreamingResponse(
        _changes(state, job.jobId, caller.tenant),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
