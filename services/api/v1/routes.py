"""/v1/jobs: create, read, list, retry, review and delete a tenant's jobs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.api.auth import Caller
from services.api.idempotency import StoredResponse, body_hash, check_key
from services.api.problems import FieldError, Problem
from services.api.review_answers import ReviewConflictError, ReviewHandoffError, ReviewIncompleteError
from services.api.state import ApiState
from services.api.v1.body import read_json, validate
from services.api.v1.listing import ListQuery, check_cursor
from services.api.v1.ownership import ctx, owned
from services.api.v1.requests import JobCreate, ReviewAnswer
from services.api.v1.responses import JobList
from services.api.v1.views import job_out, job_path
from services.common.errors import JobNotFoundError
from services.common.job import Job, JobOptions, new_job_id
from services.common.job_states import TERMINAL, JobStatus
from services.common.job_submitter import JobNotRetryableError, QueueUnavailableError
from services.common.product import Product

__all__ = ["v1_routes"]

_NOT_FOUND = "No job with this id."



async def _owned_job(state: ApiState, caller: Caller, job_id: str) -> Job:
    """The caller's job, or 404 (another tenant's job is indistinguishable from a missing one)."""
    return await owned(state.store.get, job_id, caller, _NOT_FOUND)


async def _submit(state: ApiState, caller: Caller, body: JobCreate) -> StoredResponse:
    options = JobOptions(
        formats=list(body.formats),
        output=body.output,
        style=body.style,
        overlay=body.overlay_dict(),
        onUncertain=body.onUncertain,
        onFidelityFailure=body.onFidelityFailure,
    )
    if state.limiter is not None:  # counted once per job: an idempotent replay never reaches here
        await state.limiter.job(caller)
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


async def _once(
    request: Request, tenant: str, digest: str, run: Callable[[], Awaitable[StoredResponse]]
) -> Response:
    """Run ``run``, or replay its first answer when the request carries a used Idempotency-Key."""
    state: ApiState = request.app.state.api
    key = request.headers.get("idempotency-key")
    if key is None:
        response, replayed = await run(), False
    else:
        response, replayed = await state.idempotency.run(tenant, check_key(key), digest, run)
    headers = dict(response.headers) | ({"Idempotent-Replayed": "true"} if replayed else {})
    return JSONResponse(response.body, status_code=response.status, headers=headers)


async def create_job(request: Request) -> Response:
    state, caller = ctx(request)
    data = await read_json(request, state.settings.max_body_bytes)
    body = validate(JobCreate, data)
    return await _once(request, caller.tenant, body_hash(data), lambda: _submit(state, caller, body))


async def _answer(state: ApiState, job: Job, answer: ReviewAnswer, digest: str) -> StoredResponse:
    try:
        job = await state.reviews.answer(job, answer, digest)
    except ReviewConflictError as exc:
        raise Problem(409, exc.reason, extra={"jobStatus": exc.status}) from exc
    except ReviewIncompleteError as exc:
        errors: list[FieldError] = [
            {"field": name, "message": "not answered: accept, correct or hide it", "code": "missing"}
            for name in exc.missing
        ]
        raise Problem(422, exc.reason, errors=errors) from exc
    except ReviewHandoffError as exc:
        raise Problem(503, exc.reason, headers={"Retry-After": "5"}) from exc
    except JobNotFoundError:
        raise Problem(404, _NOT_FOUND) from None
    out = await job_out(job, state.presigner)
    return StoredResponse(202, out.model_dump(mode="json"), {"Location": job_path(job.jobId)})


async def review_job(request: Request) -> Response:
    """A person's answer for a job in review: accepted, corrected or hidden facts; rendering resumes."""
    state, caller = ctx(request)
    job = await _owned_job(state, caller, request.path_params["jobId"])
    data = await read_json(request, state.settings.max_body_bytes)
    answer = validate(ReviewAnswer, data)
    # The job is part of the digest: one Idempotency-Key reused on another job's review is a conflict.
    digest = body_hash({"review": job.jobId, "answer": data})
    return await _once(request, caller.tenant, digest, lambda: _answer(state, job, answer, digest))


async def get_job(request: Request) -> Response:
    state, caller = ctx(request)
    job = await _owned_job(state, caller, request.path_params["jobId"])
    return JSONResponse((await job_out(job, state.presigner)).model_dump(mode="json"))


async def list_jobs(request: Request) -> Response:
    state, caller = ctx(request)
    query = validate(ListQuery, dict(request.query_params))
    cursor = check_cursor(query.cursor, caller.tenant) if query.cursor else None
    page = await state.store.list_for_tenant(
        caller.tenant, status=query.status, limit=query.limit, cursor=cursor
    )
    items = [await job_out(job, state.presigner) for job in page.jobs]
    return JSONResponse(JobList(items=items, nextCursor=page.cursor).model_dump(mode="json"))


async def retry_job(request: Request) -> Response:
    state, caller = ctx(request)
    job = await _owned_job(state, caller, request.path_params["jobId"])
    try:
        if job.status != JobStatus.FAILED:  # refused before the quota counts it: a 409 starts no work
            raise JobNotRetryableError(job.status.value)
        if state.limiter is not None:  # a retry is paid work too
            await state.limiter.job(caller)
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
    state, caller = ctx(request)
    job = await _owned_job(state, caller, request.path_params["jobId"])
    if job.status not in TERMINAL:
        raise Problem(
            409,
            f"The job is still {job.status.value}; delete it once it has completed or failed.",
            extra={"jobStatus": job.status.value},
        )
    try:
        await state.remover.remove(job, tenant=caller.tenant)
    except JobNotFoundError:  # deleted by a concurrent request meanwhile
        raise Problem(404, _NOT_FOUND) from None
    return Response(status_code=204)


def v1_routes() -> list[Route]:
    return [
        Route("/v1/jobs", create_job, methods=["POST"]),
        Route("/v1/jobs", list_jobs, methods=["GET"]),
        Route("/v1/jobs/{jobId}", get_job, methods=["GET"]),
        Route("/v1/jobs/{jobId}", delete_job, methods=["DELETE"]),
        Route("/v1/jobs/{jobId}/retry", retry_job, methods=["POST"]),
        Route("/v1/jobs/{jobId}/review", review_job, methods=["POST"]),
    ]
