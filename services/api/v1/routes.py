"""/v1/jobs: create, read, list, retry and delete a tenant's jobs."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.api.auth import Caller
from services.api.idempotency import StoredResponse, body_hash, check_key
from services.api.jobs import JobNotRetryableError, QueueUnavailableError
from services.api.problems import Problem
from services.api.state import ApiState
from services.api.v1.body import read_json, validate
from services.api.v1.listing import ListQuery, check_cursor
from services.api.v1.requests import JobCreate
from services.api.v1.responses import JobList
from services.api.v1.views import job_out, job_path
from services.common.errors import JobNotFoundError
from services.common.job import Job, JobOptions, new_job_id
from services.common.job_states import TERMINAL
from services.common.product import Product

__all__ = ["v1_routes"]

_NOT_FOUND = "No job with this id."


def _ctx(request: Request) -> tuple[ApiState, Caller]:
    return request.app.state.api, request.state.caller


async def _owned_job(state: ApiState, caller: Caller, job_id: str) -> Job:
    """The caller's job, or 404: another tenant's job is indistinguishable from a missing one."""
    try:
        uuid.UUID(job_id)
    except ValueError:
        raise Problem(404, _NOT_FOUND) from None
    job = await state.store.get(job_id)
    if job is None or job.tenant != caller.tenant:
        raise Problem(404, _NOT_FOUND)
    return job


async def _submit(state: ApiState, caller: Caller, body: JobCreate) -> StoredResponse:
    options = JobOptions(
        formats=list(body.formats), output=body.output, style=body.style, overlay=body.overlay_dict(),
        onFidelityFailure=body.onFidelityFailure,
    )
    try:
        if body.productUrl is not None:
            job = await state.submitter.submit_url(
                body.productUrl, tenant=caller.tenant, options=options, metadata=dict(body.metadata)
            )
        else:
            assert body.product is not None
            job_id = new_job_id()
            given = body.product
            image_key = await state.source_images.copy(job_id, given.imageUrl) if given.imageUrl else None
            product = Product(
                name=given.name,
                price=given.price,
                currency=given.currency,
                regularPrice=given.regularPrice,
                offer=given.offer,
                brand=given.brand,
                images=[given.imageUrl] if given.imageUrl else [],
            )
            job = await state.submitter.submit_product(
                product.to_dict(),
                tenant=caller.tenant,
                options=options,
                metadata=dict(body.metadata),
                job_id=job_id,
                source_image_key=image_key,
            )
    except QueueUnavailableError as exc:
        raise Problem(
            503,
            f"The job could not be queued and was marked failed: {exc.reason}",
            headers={"Retry-After": "5"},
        ) from exc
    out = await job_out(job, state.presigner)
    return StoredResponse(202, out.model_dump(mode="json"), {"Location": job_path(job.jobId)})


async def create_job(request: Request) -> Response:
    state, caller = _ctx(request)
    data = await read_json(request, state.settings.max_body_bytes)
    body = validate(JobCreate, data)
    key = request.headers.get("idempotency-key")
    if key is None:
        response, replayed = await _submit(state, caller, body), False
    else:
        response, replayed = await state.idempotency.run(
            caller.tenant, check_key(key), body_hash(data), lambda: _submit(state, caller, body)
        )
    headers = dict(response.headers) | ({"Idempotent-Replayed": "true"} if replayed else {})
    return JSONResponse(response.body, status_code=response.status, headers=headers)


async def get_job(request: Request) -> Response:
    state, caller = _ctx(request)
    job = await _owned_job(state, caller, request.path_params["jobId"])
    return JSONResponse((await job_out(job, state.presigner)).model_dump(mode="json"))


async def list_jobs(request: Request) -> Response:
    state, caller = _ctx(request)
    query = validate(ListQuery, dict(request.query_params))
    cursor = check_cursor(query.cursor, caller.tenant) if query.cursor else None
    page = await state.store.list_for_tenant(
        caller.tenant, status=query.status, limit=query.limit, cursor=cursor
    )
    items = [await job_out(job, state.presigner) for job in page.jobs]
    return JSONResponse(JobList(items=items, nextCursor=page.cursor).model_dump(mode="json"))


async def retry_job(request: Request) -> Response:
    state, caller = _ctx(request)
    job = await _owned_job(state, caller, request.path_params["jobId"])
    try:
        job = await state.submitter.retry(job.jobId, tenant=caller.tenant)
    except JobNotFoundError:
        raise Problem(404, _NOT_FOUND) from None
    except JobNotRetryableError as exc:
        raise Problem(409, exc.reason, extra={"jobStatus": exc.status}) from exc
    except QueueUnavailableError as exc:
        raise Problem(
            503,
            f"The retry could not be queued and the job is failed again: {exc.reason}",
            headers={"Retry-After": "5"},
        ) from exc
    body: dict[str, Any] = (await job_out(job, state.presigner)).model_dump(mode="json")
    return JSONResponse(body, status_code=202, headers={"Location": job_path(job.jobId)})


async def delete_job(request: Request) -> Response:
    state, caller = _ctx(request)
    job = await _owned_job(state, caller, request.path_params["jobId"])
    if job.status not in TERMINAL:
        raise Problem(
            409,
            f"The job is still {job.status.value}; delete it once it has completed or failed.",
            extra={"jobStatus": job.status.value},
        )
    await state.remover.remove(job, tenant=caller.tenant)
    return Response(status_code=204)


def v1_routes() -> list[Route]:
    return [
        Route("/v1/jobs", create_job, methods=["POST"]),
        Route("/v1/jobs", list_jobs, methods=["GET"]),
        Route("/v1/jobs/{jobId}", get_job, methods=["GET"]),
        Route("/v1/jobs/{jobId}", delete_job, methods=["DELETE"]),
        Route("/v1/jobs/{jobId}/retry", retry_job, methods=["POST"]),
    ]
