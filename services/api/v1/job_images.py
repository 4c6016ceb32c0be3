"""A job's images through the API itself: one image, or all of them as one ZIP.

The web app shows and downloads images from here (same origin, the key in a header), so its
Content-Security-Policy needs no storage origin; API clients keep using the presigned links.
"""

from __future__ import annotations

import asyncio
import io
import zipfile

from starlette.requests import Request
from starlette.responses import Response

from services.api.problems import Problem
from services.api.state import ApiState
from services.api.v1.routes import _owned_job
from services.common.job import ImageRecord, Job

__all__ = ["job_image", "job_images_zip", "image_filename"]

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def image_filename(job: Job, image: ImageRecord) -> str:
    return f"productshot-{job.jobId[:8]}-{image.format}.{_EXTENSIONS.get(image.contentType, 'bin')}"


async def _bytes(state: ApiState, image: ImageRecord) -> bytes:
    data = await state.files.get(image.key)
    if data is None:
        raise Problem(404, f"The {image.format} image is no longer stored.")
    return data


def _zipped(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    # Stored, not deflated: JPEG, PNG and WebP are compressed already.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"}


async def job_image(request: Request) -> Response:
    """GET /v1/jobs/{jobId}/images/{format}: the image's bytes."""
    state: ApiState = request.app.state.api
    job = await _owned_job(state, request.state.caller, request.path_params["jobId"])
    wanted = request.path_params["format"]
    image = next((i for i in job.images if i.format == wanted), None)
    if image is None:
        raise Problem(404, f"This job has no {wanted} image.")
    data = await _bytes(state, image)
    return Response(data, media_type=image.contentType, headers=_attachment(image_filename(job, image)))


async def job_images_zip(request: Request) -> Response:
    """GET /v1/jobs/{jobId}/images.zip: every image of a completed job in one ZIP."""
    state: ApiState = request.app.state.api
    job = await _owned_job(state, request.state.caller, request.path_params["jobId"])
    if not job.images:
        status = job.status.value
        raise Problem(409, f"This job has no images yet; it is {status}.", extra={"jobStatus": status})
    datas = await asyncio.gather(*(_bytes(state, image) for image in job.images))
    entries = [(image_filename(job, image), data) for image, data in zip(job.images, datas, strict=True)]
    archive = await asyncio.to_thread(_zipped, entries)
    return Response(archive, media_type="application/zip", headers=_attachment(f"productshot-{job.jobId[:8]}.zip"))
