"""The seed's two endpoints, with the seed's paths and body shapes, so old clients keep working.

    POST /generative-ai-images/generate        {"productUrl": "..."} -> 202 {jobId, message, statusUrl}
    GET  /generative-ai-images/status/{jobId}  pending | processing | completed | failed, or 404

Field for field and type for type what the seed's README documents: ``createdAt``,
``completedAt``, ``failedAt`` and ``urlExpiresAt`` are Unix epoch seconds (numbers), and
``fileName`` is ``<jobId>.<extension>``. The versioned API (/v1) keeps ISO 8601 timestamps.
Jobs submitted here always leave uncertain printed facts off the image (``onUncertain: hide``).

An API key is required here as on /v1: a job belongs to the key's tenant, and the status of
a job is shown only to the tenant that owns it (404 otherwise). A local run may open these
paths to the seed's keyless clients (API_SEED_REQUIRE_KEY=false, honoured only on a loopback
API_HOST); such jobs belong to the anonymous tenant, which no key can hold.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from services.api.auth import Caller
from services.api.limiter import LimitExceededError
from services.api.state import ApiState
from services.api.urls import InvalidProductUrl, validate_product_url
from services.api.v1.body import BodyTooLargeError, read_capped
from services.common.fact_policy import OnUncertain
from services.common.failure_codes import FailureCode
from services.common.job import Job, JobOptions, epoch_seconds
from services.common.job_states import SEED_STATUS, JobStatus
from services.common.job_submitter import QueueUnavailableError

__all__ = ["seed_routes"]

_MAX_BODY = 64 * 1024
_MESSAGES = {
    "processing": "Image generation in progress",
    "completed": "Image generation completed",  # only reached for a completed job without images
}


def _message(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


async def generate(request: Request) -> JSONResponse:
    state: ApiState = request.app.state.api
    try:
        raw = await read_capped(request, _MAX_BODY)
    except BodyTooLargeError:
        return _message(413, "Request body is larger than 64 KB")
    try:
        body = json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):  # nesting too deep is a bad body too
        return _message(400, 'Request body must be JSON like {"productUrl": "https://..."}')
    if not isinstance(body, dict):
        return _message(400, "Request body must be a JSON object with a productUrl")
    try:
        url = validate_product_url(body.get("productUrl"), max_length=state.settings.max_url_length)
    except InvalidProductUrl as exc:
        return _message(400, str(exc))
    caller: Caller = request.state.caller
    try:
        if state.limiter is not None:
            await state.limiter.job(caller)
        # The seed's clients know no review step: an uncertain fact is always left off the image.
        options = JobOptions(onUncertain=OnUncertain.HIDE.value)
        job = await state.submitter.submit_url(url, tenant=caller.tenant, options=options)
    except QueueUnavailableError as exc:
        return _message(503, exc.reason)
    except LimitExceededError as exc:
        return JSONResponse(
            {"message": exc.detail}, status_code=429, headers={"Retry-After": exc.retry_after_header}
        )
    return JSONResponse(
        {
            "jobId": job.jobId,
            "message": "Image generation started",
            "statusUrl": f"/generative-ai-images/status/{job.jobId}",
        },
        status_code=202,
    )


async def status(request: Request) -> JSONResponse:
    state: ApiState = request.app.state.api
    job_id = request.path_params["jobId"]
    try:
        uuid.UUID(job_id)
    except ValueError:
        return _message(404, "Job not found")
    job = await state.store.get(job_id)
    caller: Caller = request.state.caller
    if job is None or job.tenant != caller.tenant:
        return _message(404, "Job not found")
    return JSONResponse(await _seed_status(job, state))


async def _seed_status(job: Job, state: ApiState) -> dict[str, Any]:
    """The seed's body for ``job``: its fields, with its types (timestamps are epoch seconds)."""
    seed_status = SEED_STATUS[job.status]
    body: dict[str, Any] = {"jobId": job.jobId, "status": seed_status, "createdAt": epoch_seconds(job.createdAt)}
    if job.status == JobStatus.COMPLETED and job.images:
        image = job.images[0]
        url, expires = await state.presigner.url(image.bucket, image.key)
        body.update(
            {
                "completedAt": _entered(job, JobStatus.COMPLETED),
                "imageUrl": url,
                "urlExpiresAt": epoch_seconds(expires),
                # The seed named the file after the job; the extension is the stored image's.
                "fileName": f"{job.jobId}.{image.key.rsplit('.', 1)[-1]}",
                "contentType": image.contentType,
                "overlayText": job.overlayText or "",
            }
        )
    elif job.status == JobStatus.FAILED:
        body["failedAt"] = _entered(job, JobStatus.FAILED)
        error = job.error or {}
        body["error"] = error.get("reason", "Image generation failed")
        body["errorCode"] = error.get("code", FailureCode.INTERNAL_ERROR.value)
        body["traceId"] = job.traceId
    elif seed_status != "pending":
        body["message"] = _MESSAGES[seed_status]
    return body


def _entered(job: Job, status: JobStatus) -> int:
    """When the job entered ``status``, in epoch seconds (its last update for older records)."""
    return epoch_seconds(job.timestamps.get(status.value) or job.updatedAt or job.createdAt)


def seed_routes() -> list[Route]:
    return [
        Route("/generative-ai-images/generate", generate, methods=["POST"]),
        Route("/generative-ai-images/status/{jobId}", status, methods=["GET"]),
    ]
