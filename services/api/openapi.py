"""The OpenAPI 3.1 document, assembled from the pydantic models the handlers validate and
answer with: the schemas cannot drift from the code. Served at /openapi.json."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from services.api.openapi_batches import BATCH_TAG, batch_paths
from services.api.openapi_job_files import job_file_paths
from services.api.seed_models import SeedAccepted, SeedGenerate, SeedMessage, SeedStatus
from services.api.v1.batch_requests import BatchCreate
from services.api.v1.batch_responses import ArchiveOut, BatchItemList, BatchList, BatchOut, BatchResults
from services.api.v1.requests import JobCreate, ReviewAnswer
from services.api.v1.responses import HealthOut, JobList, JobOut, ProblemOut, ReadinessOut
from services.common.job_states import JobStatus

__all__ = ["openapi_document"]

_REF = "#/components/schemas/{model}"
_PROBLEM = "application/problem+json"
_WHY = {
    400: "Malformed JSON, a bad cursor or a bad Idempotency-Key.",
    401: "Missing or unknown API key.",
    404: "No such job or batch for this API key (another tenant's looks exactly the same).",
    409: "Idempotency-Key reused with another body, or the job or batch is not in a state that allows this.",
    413: "Body larger than 64 KB (a batch: 5 MB).",
    415: "Body is not JSON (a batch: JSON or text/csv).",
    422: "Invalid fields; `errors` names each one.",
    429: "Rate limit for this API key; see Retry-After.",
    503: "A dependency is unavailable; try again.",
}
_SEED_TAG, _V1_TAG, _OPS_TAG = "seed (v0)", "jobs (v1)", "operations"


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF.format(model=ref)}}}


def _problems(*codes: int) -> dict[str, Any]:
    return {
        str(c): {
            "description": _WHY[c],
            "content": {_PROBLEM: {"schema": {"$ref": _REF.format(model="ProblemOut")}}},
        }
        for c in codes
    }


def _ok(status: int, model: str, description: str, **headers: str) -> dict[str, Any]:
    return {
        str(status): {
            "description": description,
            "content": _json(model),
            **(
                {"headers": {h: {"description": d, "schema": {"type": "string"}} for h, d in headers.items()}}
                if headers
                else {}
            ),
        }
    }


_JOB_ID = {"name": "jobId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
_IDEMPOTENCY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Any unique string (1-255 visible ASCII characters). The same key and body within 24 h "
        "return the first "
        "answer (with `Idempotent-Replayed: true`) instead of creating a second job."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}
_BEARER: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def _paths() -> dict[str, Any]:
    job = {"tags": [_V1_TAG], "security": _BEARER}
    return {
        "/v1/jobs": {
            "post": {
                **job,
                "operationId": "createJob",
                "summary": "Create a job",
                "description": "Give `productUrl` (scraped for you) or `product` (facts you already have).",
                "parameters": [_IDEMPOTENCY],
                "requestBody": {"required": True, "content": _json("JobCreate")},
                "responses": {
                    **_ok(202, "JobOut", "Accepted; poll the Location.", Location="The job's URL."),
                    **_problems(400, 401, 409, 413, 415, 422, 429, 503),
                },
            },
            "get": {
                **job,
                "operationId": "listJobs",
                "summary": "List your recent jobs, newest first",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": [s.value for s in JobStatus]},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "schema": {"type": "string", "minLength": 1},
                        "description": "`nextCursor` of the previous page.",
                    },
                ],
                "responses": {**_ok(200, "JobList", "One page of jobs."), **_problems(400, 401, 422, 429)},
            },
        },
        "/v1/jobs/{jobId}": {
            "get": {
                **job,
                "operationId": "getJob",
                "summary": "Get a job, with fresh image links",
                "parameters": [_JOB_ID],
                "responses": {**_ok(200, "JobOut", "The job."), **_problems(401, 404, 429, 503)},
            },
            "delete": {
                **job,
                "operationId": "deleteJob",
                "summary": "Delete a finished job and its images",
                "parameters": [_JOB_ID],
                "responses": {"204": {"description": "Deleted."}, **_problems(401, 404, 409, 429, 503)},
            },
        },
        "/v1/jobs/{jobId}/retry": {
            "post": {
                **job,
                "operationId": "retryJob",
                "summary": "Retry a failed job (new attempt)",
                "parameters": [_JOB_ID],
                "responses": {
                    **_ok(202, "JobOut", "Queued again.", Location="The job's URL."),
                    **_problems(401, 404, 409, 429, 503),
                },
            },
        },
        "/v1/jobs/{jobId}/review": {
            "post": {
                **job,
                "operationId": "reviewJob",
                "summary": "Answer a job in review: accept, correct or hide each uncertain fact",
                "description": "Only for a job in status `review`; rendering resumes with the answered facts.",
                "parameters": [_JOB_ID, _IDEMPOTENCY],
                "requestBody": {"required": True, "content": _json("ReviewAnswer")},
                "responses": {
                    **_ok(202, "JobOut", "Answered; rendering resumes.", Location="The job's URL."),
                    **_problems(400, 401, 404, 409, 413, 415, 422, 429, 503),
                },
            },
        },
        **job_file_paths(job, _JOB_ID, _problems),
        **batch_paths(_IDEMPOTENCY, _problems),
        "/healthz": {
            "get": {
                "tags": [_OPS_TAG],
                "operationId": "healthz",
                "summary": "The process is alive",
                "responses": _ok(200, "HealthOut", "Alive."),
            }
        },
        "/readyz": {
            "get": {
                "tags": [_OPS_TAG],
                "operationId": "readyz",
                "summary": "DynamoDB, SQS and S3 are reachable",
                "responses": {**_ok(200, "ReadinessOut", "Ready."), **_problems(503)},
            }
        },
        "/generative-ai-images/generate": {
            "post": {
                "tags": [_SEED_TAG],
                "operationId": "seedGenerate",
                "summary": "Seed API: submit a product URL",
                "description": "For existing clients; an API key is required as on /v1.",
                "security": _BEARER,
                "requestBody": {"required": True, "content": _json("SeedGenerate")},
                "responses": {
                    **_ok(202, "SeedAccepted", "Accepted."),
                    **{
                        str(c): {"description": _WHY.get(c, "Error."), "content": _json("SeedMessage")}
                        for c in (400, 401, 413, 429, 503)
                    },
                },
            }
        },
        "/generative-ai-images/status/{jobId}": {
            "get": {
                "tags": [_SEED_TAG],
                "operationId": "seedStatus",
                "summary": "Seed API: a job's status",
                "security": _BEARER,
                "parameters": [{**_JOB_ID, "schema": {"type": "string"}}],
                "responses": {
                    **_ok(200, "SeedStatus", "The status."),
                    **{
                        str(c): {"description": _WHY.get(c, "Error."), "content": _json("SeedMessage")}
                        for c in (401, 404, 429)
                    },
                },
            }
        },
    }


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    models: list[tuple[type[BaseModel], Any]] = [
        (JobCreate, "validation"),
        (ReviewAnswer, "validation"),
        (SeedGenerate, "validation"),
        (BatchCreate, "validation"),
    ]
    models += [
        (m, "serialization")
        for m in (JobOut, JobList, ProblemOut, HealthOut, ReadinessOut, SeedAccepted, SeedStatus, SeedMessage,
                  BatchOut, BatchList, BatchItemList, BatchResults, ArchiveOut)
    ]
    _, defs = models_json_schema(models, ref_template=_REF)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Productshot API",
            "version": "1.0.0",
            "description": (
                "Turn a product page (or product facts) into marketing images. Authenticate with "
                "`Authorization: Bearer <API key>`. Errors are RFC 9457 problem details. See docs/api.md."
            ),
        },
        "tags": [{"name": _V1_TAG}, {"name": BATCH_TAG}, {"name": _OPS_TAG}, {"name": _SEED_TAG}],
        "paths": _paths(),
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key issued per tenant.",
                }
            },
        },
    }
