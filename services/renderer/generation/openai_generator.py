"""The ImageGenerator adapter for OpenAI's image models (gpt-image-1, dall-e-3).

One retry policy lives here (tenacity) and the SDK's own retries are off, so a 429 is
not retried twice over by two layers. Vendor errors are translated at this edge into
the project's families: a refusal or bad request is permanent (the job fails with the
model's reason), throttling, 5xx, timeouts and connection errors are transient.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import email.utils
import math
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx2
import openai
from openai.types import ImagesResponse
from pydantic import SecretStr
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, stop_any
from tenacity.stop import stop_base

from services.common.errors import PermanentError, TransientError
from services.common.logging import get_logger
from services.renderer.generation.base import GeneratedImage, GenerationRequest
from services.renderer.generation.edit_photo import EditPhoto, prepare_photo
from services.renderer.generation.model_errors import (
    ContentPolicyError,
    ImageModelRejectedError,
    ImageModelUnavailableError,
)
from services.renderer.generation.prompts import build_prompt, resolve_preset
from services.renderer.generation.settings import GenerationSettings

__all__ = ["OpenAIGenerator", "ContentPolicyError", "EditPhoto", "SUPPORTED_SIZES", "nearest_size", "prepare_photo"]

SUPPORTED_SIZES: dict[str, tuple[tuple[int, int], ...]] = {
    "gpt-image-1": ((1024, 1024), (1536, 1024), (1024, 1536)),
    "dall-e-3": ((1024, 1024), (1792, 1024), (1024, 1792)),
}
_CONTENT_POLICY_CODES = frozenset({"content_policy_violation", "moderation_blocked"})
_RETRYABLE_STATUSES = frozenset({408, 409, 429})
_REASON_LIMIT = 500


def nearest_size(model: str, requested: str | None) -> str:
    """The supported size of ``model`` whose aspect ratio is closest to ``requested``."""
    sizes = SUPPORTED_SIZES[model]
    try:
        width, height = (int(v) for v in (requested or "").lower().split("x"))
        target = math.log(width / height)
    except (ValueError, ZeroDivisionError):
        width, height = sizes[0]
        target = 0.0
    # min() keeps the first of equals, and the square size is first: ties go square.
    w, h = min(sizes, key=lambda s: abs(math.log(s[0] / s[1]) - target))
    return f"{w}x{h}"


def _retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After-Ms, Retry-After seconds or date)."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(header)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is None:
                continue
            seconds = email.utils.mktime_tz(parsed) - time.time()
        if math.isfinite(seconds):
            return max(seconds, 0.0)
    return None


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code == 429 and exc.code == "insufficient_quota":
            return False  # billing, not load: seconds of backoff cannot fix it
        return exc.status_code in _RETRYABLE_STATUSES or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError | TimeoutError)


class _StopOnLongRetryAfter(stop_base):
    """Stops when the server asks for a longer wait than we are willing to sleep in-process."""

    def __init__(self, settings: GenerationSettings) -> None:
        self._limit = settings.max_retry_after_seconds

    def __call__(self, retry_state: RetryCallState) -> bool:
        hinted = _retry_after(retry_state.outcome.exception() if retry_state.outcome else None)
        return hinted is not None and hinted > self._limit


class OpenAIGenerator:
    """Generates product scenes with OpenAI, many calls in flight but at most ``max_concurrency``."""

    name = "openai"

    def __init__(
        self,
        settings: GenerationSettings,
        api_key: SecretStr | None = None,
        *,
        client: openai.AsyncOpenAI | None = None,
    ) -> None:
        key = api_key or settings.openai_api_key
        if key is None and client is None:
            raise ValueError("OpenAIGenerator needs an API key")
        self._settings = settings
        self._secret = key.get_secret_value() if key is not None else ""
        self._client = client or openai.AsyncOpenAI(
            api_key=self._secret,
            base_url=settings.openai_base_url,
            timeout=httpx2.Timeout(settings.timeout_seconds, connect=min(10.0, settings.timeout_seconds)),
            max_retries=0,  # tenacity below is the only retry policy
        )
        self._semaphore = asyncio.Semaphore(settings.max_concurrency)
        self._params = self._model_params(settings)
        stop = stop_any(stop_after_attempt(settings.max_retries + 1), _StopOnLongRetryAfter(settings))
        self._retrying = AsyncRetrying(
            stop=stop,
            wait=self._wait,
            retry=retry_if_exception(_is_retryable),
            before_sleep=self._log_retry,
            reraise=True,
        )
        # Bound per instance (not at import) so a logging set-up done later still applies.
        self._log = get_logger(__name__).bind(generator=self.name, model=settings.model)

    @staticmethod
    def _model_params(settings: GenerationSettings) -> dict[str, Any]:
        if settings.model == "dall-e-3":
            quality = "hd" if settings.quality in ("hd", "high") else "standard"
            return {"model": "dall-e-3", "quality": quality, "n": 1, "response_format": "b64_json"}
        quality = {"standard": "medium", "hd": "high"}.get(settings.quality, settings.quality)
        # gpt-image-1 always answers in base64 and refuses response_format.
        params: dict[str, Any] = {"model": settings.model, "quality": quality, "n": 1,
                                  "output_format": settings.scene_format}
        if settings.scene_format != "png":
            params["output_compression"] = settings.scene_compression
        return params

    @property
    def can_edit(self) -> bool:
        return self._settings.model != "dall-e-3" and self._settings.mode != "prompt"

    async def generate(self, request: GenerationRequest) -> GeneratedImage:
        preset = resolve_preset(request.style, self._settings.default_style)
        photo = None
        if request.photo and self.can_edit:
            photo = await asyncio.to_thread(prepare_photo, request.photo)
            if photo is None:
                self._log.warning("openai_photo_unusable_prompt_only")
        prompt = build_prompt(request.product, preset, edit=photo is not None)
        if request.note:
            prompt = f"{prompt} {request.note}"
        size = nearest_size(self._settings.model, request.size)
        images = self._client.images
        call: Callable[[], Awaitable[Any]]
        if photo is not None:
            fidelity = self._settings.edit_input_fidelity
            edit_photo = photo

            def call() -> Awaitable[Any]:
                return images.edit(
                    image=(edit_photo.filename, edit_photo.data, edit_photo.content_type),
                    prompt=prompt,
                    size=size,
                    input_fidelity=fidelity,
                    **self._params,
                )
        else:

            def call() -> Awaitable[Any]:
                return images.generate(prompt=prompt, size=size, **self._params)

        log = self._log.bind(job_id=request.job_id, path="edit" if photo else "prompt", size=size)
        started = time.monotonic()
        try:
            # A copy per call: tenacity keeps per-run iteration state on the object.
            response: ImagesResponse = await self._retrying.copy()(self._attempt, call)
        except Exception as exc:
            error = self._translate(exc)
            log.warning("openai_generation_failed", error=type(error).__name__, reason=error.reason)
            raise error from exc
        image = self._to_image(response, prompt)
        log.info(
            "openai_image_generated", style=preset.name, elapsed_ms=round((time.monotonic() - started) * 1000)
        )
        return image

    async def aclose(self) -> None:
        await self._client.close()

    async def _attempt(self, call: Callable[[], Awaitable[ImagesResponse]]) -> ImagesResponse:
        async with self._semaphore:
            # The whole attempt is bounded, not only each socket read, and waiting for the
            # semaphore does not count against it.
            async with asyncio.timeout(self._settings.timeout_seconds):
                return await call()

    def _wait(self, state: RetryCallState) -> float:
        hinted = _retry_after(state.outcome.exception() if state.outcome else None)
        if hinted is not None:
            # Honour the hint, plus a little jitter so throttled callers do not return together.
            return hinted + random.uniform(0, min(1.0, hinted * 0.1))
        growth = self._settings.backoff_base_seconds * 2 ** (state.attempt_number - 1)
        ceiling = min(self._settings.backoff_max_seconds, growth)
        return ceiling / 2 + random.uniform(0, ceiling / 2)  # "equal jitter"

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        self._log.warning(
            "openai_call_retrying",
            attempt=state.attempt_number,
            status=getattr(exc, "status_code", None),
            error=type(exc).__name__,
            wait_s=round(state.upcoming_sleep, 3),
        )

    def _reason(self, exc: BaseException) -> str:
        body = getattr(exc, "body", None)
        message = body.get("message") if isinstance(body, dict) else None
        text = str(message or getattr(exc, "message", None) or exc or type(exc).__name__)
        if self._secret:
            text = text.replace(self._secret, "***")
        return text[:_REASON_LIMIT]

    def _translate(self, exc: BaseException) -> PermanentError | TransientError:
        reason = self._reason(exc)
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            if status == 400 and exc.code in _CONTENT_POLICY_CODES:
                return ContentPolicyError(f"refused by the image model's content policy: {reason}")
            if status in _RETRYABLE_STATUSES or status >= 500:
                return ImageModelUnavailableError(f"image model unavailable ({status}): {reason}", _retry_after(exc))
            return ImageModelRejectedError(f"image model rejected the request ({status}): {reason}")
        if isinstance(exc, openai.APIConnectionError | TimeoutError):
            what = "timed out" if isinstance(exc, openai.APITimeoutError | TimeoutError) else "unreachable"
            return ImageModelUnavailableError(f"image model {what} after {self._settings.max_retries + 1} attempts")
        if isinstance(exc, PermanentError | TransientError):
            return exc
        return ImageModelUnavailableError(f"image model call failed: {type(exc).__name__}: {reason}")

    def _to_image(self, response: ImagesResponse, prompt: str) -> GeneratedImage:
        item = response.data[0] if response.data else None
        if item is None or not item.b64_json:
            raise ImageModelUnavailableError("image model returned no image data")
        try:
            data = base64.b64decode(item.b64_json, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImageModelUnavailableError("image model returned undecodable image data") from exc
        return GeneratedImage(
            data=data, model=self._settings.model, prompt=prompt, revised_prompt=item.revised_prompt
        )
