"""/v1/batches: create, list, read, follow the rows of, collect and cancel a tenant's batches."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from services.api.auth import Caller
from services.api.batch_desk import BatchQueueUnavailableError, BatchStateError
from services.api.idempotency import StoredResponse, check_key
from services.api.problems import Problem
from services.api.state import ApiState
from services.api.v1.batch_body import PaceLimits, jobs_of, read_batch
from services.api.v1.batch_requests import BatchListQuery, ItemsQuery
from services.api.v1.batch_responses import ArchiveOut, BatchItemList, BatchList
from services.api.v1.batch_views import (
    batch_out,
    batch_path,
    item_out,
    missing_count,
    unwrap_cursor,
    wrap_cursor,
)
from services.api.v1.body import validate
from services.api.v1.ownership import ctx, owned
from services.common.batch import Batch
from services.common.batch_csv import write_rows

__all__ = ["batch_routes"]

_NOT_FOUND = "No batch with this id."
_RETRY_SOON = {"Retry-After": "5"}
_RESULTS_PAGE = 1000


async def _owned(state: ApiState, caller: Caller, batch_id: str) -> Batch:
    """The caller's batch, or 404 (another tenant's batch is indistinguishable from a missing one)."""
    return await owned(state.batches.get, batch_id, caller, _NOT_FOUND)


def _unqueued(exc: BatchQueueUnavailableError, what: str) -> Problem:
    return Problem(503, f"{what}: {exc}", headers=_RETRY_SOON)


def _conflict(exc: BatchStateError) -> Problem:
    return Problem(409, str(exc), extra={"batchStatus": exc.status})


async def _ask_desk(request: Request, action: Callable[[ApiState], Callable[[Batch], Awaitable[Batch]]],
                    unsent: str) -> tuple[ApiState, Batch]:
    """The caller's batch through one of the desk's actions: 409 in the wrong state, 503 unsent."""
    state, caller = ctx(request)
    batch = await _owned(state, caller, request.path_params["batchId"])
    try:
        return state, await action(state)(batch)
    except BatchStateError as exc:
        raise _conflict(exc) from exc
    except BatchQueueUnavailableError as exc:
        raise _unqueued(exc, unsent) from exc


async def create_batch(request: Request) -> Response:
    state, caller = ctx(request)
    settings = state.settings
    pace = PaceLimits(settings.batch_max_in_flight_per_host, settings.batch_max_requests_per_second_per_host)
    plan, digest = await read_batch(request, settings.batch_max_body_bytes, pace)

    async def run() -> StoredResponse:
        if state.limiter is not None and plan.items:  # counted once: a replay never reaches here
            await state.limiter.jobs(caller, jobs_of(plan))
        # A source's jobs are counted by the batch worker as it expands them, on this quota.
        quota = state.limiter.daily_quota(caller) if state.limiter is not None else 0
        try:
            batch = await state.batch_desk.create(caller.tenant, plan, jobs_per_day=quota)
        except BatchQueueUnavailableError as exc:
            raise _unqueued(exc, "The batch could not be started and was marked failed") from exc
        path = batch_path(batch.batchId)
        return StoredResponse(202, batch_out(batch).model_dump(mode="json"), {"Location": path})

    key = request.headers.get("idempotency-key")
    if key is None:
        response, replayed = await run(), False
    else:
        response, replayed = await state.idempotency.run(caller.tenant, check_key(key), digest, run)
    if replayed:  # the same batch again: it exists, nothing was accepted now
        return JSONResponse(response.body, status_code=200,
                            headers={**response.headers, "Idempotent-Replayed": "true"})
    return JSONResponse(response.body, status_code=response.status, headers=response.headers)


async def list_batches(request: Request) -> Response:
    state, caller = ctx(request)
    query = validate(BatchListQuery, dict(request.query_params))
    scope = f"batches:{caller.tenant}"
    page = await state.batches.list_for_tenant(
        caller.tenant, limit=query.limit, cursor=unwrap_cursor(query.cursor, scope),
        status=query.status.value if query.status else None,
    )
    body = BatchList(batches=[batch_out(b) for b in page.batches], next=wrap_cursor(scope, page.cursor))
    return JSONResponse(body.model_dump(mode="json"))


async def get_batch(request: Request) -> Response:
    state, caller = ctx(request)
    batch = await _owned(state, caller, request.path_params["batchId"])
    return JSONResponse(batch_out(batch).model_dump(mode="json"))


async def list_items(request: Request) -> Response:
    state, caller = ctx(request)
    batch = await _owned(state, caller, request.path_params["batchId"])
    query = validate(ItemsQuery, dict(request.query_params))
    scope = f"items:{batch.batchId}"
    page = await state.batches.items(batch.batchId, limit=query.limit, cursor=unwrap_cursor(query.cursor, scope))
    body = BatchItemList(items=[item_out(i) for i in page.items], next=wrap_cursor(scope, page.cursor))
    return JSONResponse(body.model_dump(mode="json"))


def _wants_csv(request: Request) -> bool:
    chosen = request.query_params.get("format")
    if chosen is not None:
        if chosen not in ("csv", "json"):
            raise Problem(422, "format must be csv or json.",
                          errors=[{"field": "format", "message": "csv or json", "code": "enum"}])
        return chosen == "csv"
    accept = request.headers.get("accept", "").lower()
    return "text/csv" in accept and "application/json" not in accept


async def results(request: Request) -> Response:
    """Every row, read page by page as it is sent: CSV (batch_csv.write_rows) or {"items": [...]}."""
    state, caller = ctx(request)
    batch = await _owned(state, caller, request.path_params["batchId"])
    as_csv = _wants_csv(request)
    first = await state.batches.items(batch.batchId, limit=_RESULTS_PAGE, cursor=None)  # a 503 is still possible

    async def pages() -> AsyncIterator[list[dict[str, object]]]:
        page = first
        while True:
            yield [item_out(item).model_dump(mode="json") for item in page.items]
            if page.cursor is None:
                return
            page = await state.batches.items(batch.batchId, limit=_RESULTS_PAGE, cursor=page.cursor)

    async def csv_chunks() -> AsyncIterator[str]:
        header = True
        async for rows in pages():
            lines = write_rows(rows)
            if not header:
                next(lines)  # every call starts with the header: the file has it once
            header = False
            yield "".join(lines)

    async def json_chunks() -> AsyncIterator[str]:
        yield '{"items":['
        separator = ""
        async for rows in pages():
            for row in rows:
                yield separator + json.dumps(row, separators=(",", ":"), ensure_ascii=False)
                separator = ","
        yield "]}"

    if as_csv:
        name = f"batch-{batch.batchId}-results.csv"
        return StreamingResponse(csv_chunks(), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return StreamingResponse(json_chunks(), media_type="application/json")


async def archive(request: Request) -> Response:
    state, batch = await _ask_desk(request, lambda s: s.batch_desk.archive, "The archive could not be asked for")
    current = batch.archive or {"status": "building"}
    status = current.get("status")
    if status == "ready":
        url, expires = await state.presigner.url(state.files.bucket, str(current["key"]),
                                                 download_as=f"batch-{batch.batchId}-images.zip")
        out = ArchiveOut(status="ready", url=url, size=current.get("size"), count=current.get("count"),
                         missing=missing_count(current), expiresAt=expires)
        return JSONResponse(out.model_dump(mode="json", exclude_none=True))
    if status == "failed":  # a new build is on its way (archive() asked for it)
        out = ArchiveOut(status="failed", error=str(current.get("error") or "the archive could not be built"))
        return JSONResponse(out.model_dump(mode="json", exclude_none=True))
    return JSONResponse(ArchiveOut(status="building").model_dump(mode="json", exclude_none=True),
                        status_code=202, headers=_RETRY_SOON)


async def cancel_batch(request: Request) -> Response:
    _, batch = await _ask_desk(request, lambda s: s.batch_desk.cancel,
                               "The cancellation is recorded but could not be sent; send DELETE again")
    return JSONResponse(batch_out(batch).model_dump(mode="json"), status_code=202,
                        headers={"Location": batch_path(batch.batchId)})


def batch_routes() -> list[Route]:
    return [
        Route("/v1/batches", create_batch, methods=["POST"]),
        Route("/v1/batches", list_batches, methods=["GET"]),
        Route("/v1/batches/{batchId}", get_batch, methods=["GET"]),
        Route("/v1/batches/{batchId}", cancel_batch, methods=["DELETE"]),
        Route("/v1/batches/{batchId}/items", list_items, methods=["GET"]),
        Route("/v1/batches/{batchId}/results", results, methods=["GET"]),
        Route("/v1/batches/{batchId}/archive", archive, methods=["GET"]),
    ]
