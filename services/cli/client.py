"""A small synchronous HTTP client of the jobs and batches API.

429 and 503 are retried (honouring ``Retry-After``, capped) with tenacity; connection
errors too. Every other error becomes an ``ApiError`` whose message is one line made from
the problem+json body.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from services.cli.files import stream_atomic

RETRY_STATUSES = frozenset({429, 503})
MAX_RETRY_AFTER = 30.0


class ApiError(Exception):
    """The API answered with an error, or could not be reached (exit code 3)."""

    def __init__(self, message: str, status: int | None = None, problem: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.problem = problem or {}


class _Retryable(Exception):
    def __init__(self, response: httpx.Response):
        super().__init__(response.status_code)
        self.response = response


def problem_message(response: httpx.Response) -> str:
    """One line: status, the problem's detail and the fields it names."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = body.get("detail") or body.get("title") or response.reason_phrase
    fields = [f"{e.get('field')}: {e.get('message')}" for e in body.get("errors") or [] if isinstance(e, dict)]
    line = f"HTTP {response.status_code}: {detail}"
    return line + (f" ({'; '.join(fields)})" if fields else "")


def _wait(state: Any) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, _Retryable):
        try:
            return min(float(exc.response.headers.get("Retry-After", "1")), MAX_RETRY_AFTER)
        except ValueError:
            return 1.0
    return float(wait_exponential(multiplier=0.5, max=8)(state))


class ApiClient:
    def __init__(self, api: str, key: str | None, timeout: float = 30.0, attempts: int = 5):
        headers = {"User-Agent": "productshot-cli"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self._http = httpx.Client(base_url=api, headers=headers, timeout=timeout)
        self._attempts = attempts

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The response of a 2xx answer; ApiError otherwise (after retrying 429/503 and network errors)."""

        def once() -> httpx.Response:
            response = self._http.request(method, path, **kwargs)
            if response.status_code in RETRY_STATUSES:
                raise _Retryable(response)
            return response

        retrying = Retrying(
            retry=retry_if_exception(lambda e: isinstance(e, _Retryable | httpx.TransportError)),
            stop=stop_after_attempt(self._attempts), wait=_wait, reraise=True,
        )
        try:
            response = retrying(once)
        except _Retryable as exc:
            raise ApiError(problem_message(exc.response), exc.response.status_code) from None
        except httpx.HTTPError as exc:
            raise ApiError(f"cannot reach the API: {exc.__class__.__name__}: {exc}") from None
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {}
            raise ApiError(problem_message(response), response.status_code,
                           problem if isinstance(problem, dict) else {})
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        body = self.request(method, path, **kwargs).json()
        if not isinstance(body, dict):
            raise ApiError(f"unexpected answer from {path}: not a JSON object")
        return body

    def get_job(self, job_id: str) -> dict[str, Any]:
        return self.json("GET", f"/v1/jobs/{job_id}")

    def submit_job(self, body: dict[str, Any], idempotency_key: str | None = None) -> dict[str, Any]:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self.json("POST", "/v1/jobs", json=body, headers=headers)

    def download(self, url: str, path: Path, expected_size: int | None = None) -> int:
        """Stream an absolute (presigned) URL into ``path`` atomically, without our auth header."""
        try:
            with httpx.stream("GET", url, timeout=60.0) as response:
                if response.status_code != 200:
                    raise ApiError(f"download {url.split('?')[0]}: HTTP {response.status_code}")
                return stream_atomic(path, response.iter_bytes(), expected_size)
        except httpx.HTTPError as exc:
            raise ApiError(f"cannot download {url.split('?')[0]}: {exc}") from None

    def stream_to(self, url: str) -> httpx.Response:
        """GET an absolute (presigned) URL without our auth header; the caller streams it."""
        try:
            response = httpx.get(url, timeout=60.0)
        except httpx.HTTPError as exc:
            raise ApiError(f"cannot download {url.split('?')[0]}: {exc}") from None
        if response.status_code != 200:
            raise ApiError(f"download {url.split('?')[0]}: HTTP {response.status_code}")
        return response
