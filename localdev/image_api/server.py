"""An OpenAI-compatible image server on 127.0.0.1, for tests and local runs.

``POST /v1/images/generations`` (JSON) and ``POST /v1/images/edits`` (multipart) take
the same requests and give the same response and error shapes as OpenAI, with real PNG
(or JPEG/WebP) images of the requested size. Switches add latency and inject 429 with
Retry-After, 5xx, hangs and content-policy refusals; see ``localdev.image_faults``. The
altered-product mode stages a recoloured, warped or relabelled product in a share of the
edit answers; see ``localdev.image_alter``.

    python -m localdev.image_api --port 8100 --latency 5

(the command line is ``localdev/image_api/__main__.py``) or, in a test:
``async with ImageAPIServer() as server: ... server.base_url ...``.
Latency and hangs are ``asyncio.sleep`` and Pillow runs in threads, so hundreds of slow
requests stay in flight at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from PIL import Image

from localdev.image_alter import alter_product
from localdev.image_faults import Faults, FaultSpec, Stats, error_body
from localdev.image_requests import RequestError, validate
from localdev.image_scenes import compose_on_scene, palette_for, scene_b64

__all__ = ["ImageAPIServer", "Faults", "FaultSpec"]


_UPLOAD_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})  # what OpenAI's edits take


@dataclass(frozen=True, slots=True)
class _Upload:
    """An image of an edit request: decoded, with its bytes' digest and declared type."""

    image: Image.Image
    digest: str
    content_type: str


def _json_error(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(body, status=status, headers=headers)


class ImageAPIServer:
    """The fake server: ``start()`` returns the base URL the OpenAI SDK should use."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        faults: Faults | None = None,
        api_key: str | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.faults = faults or Faults()
        self._initial_faults = self.faults.copy()
        self.stats = Stats()
        self._api_key = api_key  # when set, the bearer token must equal it
        self._runner: web.AppRunner | None = None
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_post("/v1/images/generations", self._generations)
        self.app.router.add_post("/v1/images/edits", self._edits)
        self.app.router.add_get("/_stats", self._get_stats)
        self.app.router.add_get("/_control", self._get_control)
        self.app.router.add_post("/_control", self._post_control)
        self.app.router.add_post("/_reset", self._reset)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What ``AsyncOpenAI(base_url=...)`` takes."""
        return f"{self.url}/v1"

    async def start(self) -> str:
        # handler_cancellation: a client that gives up on a hung request frees its handler.
        self._runner = web.AppRunner(
            self.app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=1024)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> ImageAPIServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def reset(self) -> None:
        """Start-up switches back, counters to zero."""
        self.faults = self._initial_faults.copy()
        self.stats = Stats()

    async def _generations(self, request: web.Request) -> web.Response:
        return await self._serve("generations", request)

    async def _edits(self, request: web.Request) -> web.Response:
        return await self._serve("edits", request)

    async def _serve(self, endpoint: str, request: web.Request) -> web.Response:
        stats = self.stats  # a reset mid-request must not unbalance the new counters
        stats.enter(endpoint)
        record: dict[str, Any] = {"endpoint": endpoint, "at": time.time()}
        stats.recent.append(record)
        try:
            response, outcome = await self._handle(endpoint, request, record)
        except asyncio.CancelledError:
            stats.outcome(endpoint, "cancelled")
            record["outcome"] = "cancelled"
            raise
        finally:
            stats.leave()
        stats.outcome(endpoint, outcome)
        record["outcome"] = outcome
        return response

    async def _handle(
        self, endpoint: str, request: web.Request, record: dict[str, Any]
    ) -> tuple[web.Response, str]:
        auth = request.headers.get("Authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if not token or (self._api_key is not None and token != self._api_key):
            # Never echo the token back: it is a secret even here.
            message = "Incorrect API key provided." if token else "You didn't provide an API key."
            return _json_error(
                401, error_body(message, "invalid_request_error", code="invalid_api_key")
            ), "401"
        try:
            params, photos = await self._read(endpoint, request)
            record.update({k: v for k, v in params.items() if k != "image"})
            record["images"] = [
                {"format": p.image.format, "width": p.image.width, "height": p.image.height,
                 "content_type": p.content_type}
                for p in photos
            ]
            checked = validate(params, edit=endpoint == "edits")
            if endpoint == "edits" and not photos:
                raise RequestError(
                    "Missing required parameter: 'image'.", "image", "missing_required_parameter"
                )
        except RequestError as exc:
            body = error_body(exc.message, "invalid_request_error", param=exc.param, code=exc.code)
            return _json_error(400, body), "400"
        faults = self.faults
        if faults.latency:
            await asyncio.sleep(faults.latency)
        if faults.take_hang():
            self.stats.outcome(endpoint, "hang")
            await asyncio.sleep(faults.hang_seconds)
        fault = faults.take_fault()
        if fault is not None:
            status, body, headers = fault.response_parts()
            return _json_error(status, body, headers), str(status)
        if faults.refuses(checked["prompt"]):
            return _json_error(400, self._refusal(checked["family"])), "content_policy"
        return web.json_response(await self._render(checked, photos, record)), "200"

    async def _read(self, endpoint: str, request: web.Request) -> tuple[dict[str, Any], list[_Upload]]:
        if endpoint == "generations":
            try:
                params = await request.json()
            except ValueError as exc:
                raise RequestError("We could not parse the JSON body of your request.", None, None) from exc
            if not isinstance(params, dict):
                raise RequestError("The request body must be a JSON object.", None, None)
            return params, []
        if not request.content_type.startswith("multipart/"):
            raise RequestError("Image edits take multipart/form-data.", None, None)
        form = await request.post()
        params = {k: v for k, v in form.items() if isinstance(v, str)}
        photos: list[_Upload] = []
        for index, field in enumerate(form.getall("image[]", []) + form.getall("image", [])):
            if not isinstance(field, web.FileField):
                raise RequestError("'image' must be a file.", "image")
            if field.content_type not in _UPLOAD_TYPES:
                raise RequestError(
                    f"Invalid file 'image': unsupported mimetype ('{field.content_type}'). "
                    "Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.",
                    "image",
                    "invalid_image_format",
                )
            data = field.file.read()
            try:
                image = await asyncio.to_thread(_decode, data)
                photos.append(_Upload(image, hashlib.sha256(data).hexdigest(), field.content_type))
            except Exception as exc:
                message = f"Invalid image file or mode for image {index + 1}, please check your image file."
                raise RequestError(message, "image", "invalid_image_file") from exc
        return params, photos

    async def _render(self, checked: dict[str, Any], photos: list[_Upload], record: dict[str, Any]) -> dict[str, Any]:
        w, h, fmt, prompt = checked["width"], checked["height"], checked["output_format"], checked["prompt"]
        palette = palette_for(prompt)
        if photos:
            photo = photos[0]
            image, digest = photo.image, photo.digest
            altered = self.faults.take_alteration()
            if altered is not None:  # the altered-product mode (localdev.image_alter)
                image, digest = await asyncio.to_thread(alter_product, image, altered), f"{digest}:{altered}"
                record["altered"] = altered
            b64 = await asyncio.to_thread(compose_on_scene, image, w, h, palette, fmt, digest=digest)
        else:
            b64 = await asyncio.to_thread(scene_b64, w, h, palette, fmt)
        item: dict[str, Any] = {"b64_json": b64}
        body: dict[str, Any] = {"created": int(time.time()), "data": [item] * checked["n"]}
        if checked["family"] == "dall-e-3":
            item["revised_prompt"] = f"A photorealistic image: {prompt}"
        if checked["family"] == "gpt-image":
            text_tokens = max(1, len(prompt) // 4)
            image_tokens = 323 * len(photos)
            body["usage"] = {
                "total_tokens": text_tokens + image_tokens + 1056,
                "input_tokens": text_tokens + image_tokens,
                "output_tokens": 1056,
                "input_tokens_details": {"text_tokens": text_tokens, "image_tokens": image_tokens},
            }
            body.update(
                background="opaque", output_format=fmt, quality=checked["quality"] or "auto", size=f"{w}x{h}"
            )
        return body

    @staticmethod
    def _refusal(family: str) -> dict[str, Any]:
        if family == "gpt-image":
            message = "Your request was rejected by the safety system. safety_violations=[sexual]."
            return error_body(message, "image_generation_user_error", code="moderation_blocked")
        message = (
            "Your request was rejected as a result of our safety system. Your prompt may contain "
            "text that is not allowed by our safety system."
        )
        return error_body(message, "invalid_request_error", code="content_policy_violation")

    async def _get_stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats.to_dict())

    async def _get_control(self, request: web.Request) -> web.Response:
        return web.json_response(self.faults.to_dict())

    async def _post_control(self, request: web.Request) -> web.Response:
        try:
            data = await request.json()
            if not isinstance(data, dict):
                raise ValueError("the control document must be a JSON object")
            self.faults.update(data)
        except (ValueError, KeyError, TypeError) as exc:
            return _json_error(400, error_body(str(exc), "invalid_request_error"))
        return web.json_response(self.faults.to_dict())

    async def _reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"faults": self.faults.to_dict(), "stats": self.stats.to_dict()})


def _decode(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img
