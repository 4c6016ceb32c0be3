"""The OpenAPI paths of a job's event stream and its images through the API (used by the web app)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["job_file_paths"]

_BINARY = {"schema": {"type": "string", "format": "binary"}}
# One event as text/event-stream frames it: its name, its id, and the job as JSON in ``data``.
_EVENT = {
    "schema": {
        "type": "object",
        "properties": {
            "event": {"type": "string", "enum": ["job", "gone"]},
            "id": {"type": "string"},
            "data": {"type": "string", "contentMediaType": "application/json"},
        },
        "required": ["event", "data"],
    }
}
_FORMAT = {"name": "format", "in": "path", "required": True, "schema": {"type": "string"}, "description": "square, ..."}


def job_file_paths(
    common: dict[str, Any], job_id: dict[str, Any], problems: Callable[..., dict[str, Any]]
) -> dict[str, Any]:
    """``common``: tags and security of the jobs' operations; ``problems(*codes)``: their error answers."""
    return {
        "/v1/jobs/{jobId}/events": {
            "get": {
                **common,
                "operationId": "followJob",
                "summary": "Follow a job's progress as server-sent events",
                "description": "`text/event-stream`: a `job` event (the body of GET /v1/jobs/{jobId}) at each "
                "change, the first one at once; the stream ends when the job is completed or failed (a `gone` "
                "event when it is deleted) or after 5 minutes. Send the key in the Authorization header "
                "(read the stream with fetch: EventSource cannot send it); reconnect to go on.",
                "parameters": [job_id],
                "responses": {
                    "200": {"description": "The event stream.", "content": {"text/event-stream": _EVENT}},
                    **problems(401, 404, 429, 503),
                },
            }
        },
        "/v1/jobs/{jobId}/images/{format}": {
            "get": {
                **common,
                "operationId": "getJobImage",
                "summary": "Download one image of a job",
                "parameters": [job_id, _FORMAT],
                "responses": {
                    "200": {"description": "The image.", "content": {"image/*": _BINARY}},
                    **problems(401, 404, 429, 503),
                },
            }
        },
        "/v1/jobs/{jobId}/images.zip": {
            "get": {
                **common,
                "operationId": "getJobImagesZip",
                "summary": "Download all images of a job as one ZIP",
                "parameters": [job_id],
                "responses": {
                    "200": {"description": "The ZIP.", "content": {"application/zip": _BINARY}},
                    **problems(401, 404, 409, 429, 503),
                },
            }
        },
    }
