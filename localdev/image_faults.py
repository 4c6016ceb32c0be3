"""The fake image API's switches (latency, injected faults) and its request counters.

Both are plain objects the server owns; ``POST /_control`` updates the switches while it
runs and ``GET /_stats`` reads the counters, so a test or a benchmark can steer and
observe the server over HTTP, or directly when it runs in the same process.
"""

from __future__ import annotations

import copy
import random
from collections import Counter, defaultdict, deque
from dataclasses import asdict, dataclass, field
from typing import Any

from localdev.image_alter import ALTERATIONS, pick_alteration

__all__ = ["Faults", "FaultSpec", "Stats", "error_body"]

_DEFAULT_ERRORS: dict[int, tuple[str, str | None, str]] = {
    400: ("invalid_request_error", None, "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    408: ("server_error", None, "Request timed out."),
    429: (
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached for images per minute. Please try again later.",
    ),
    500: ("server_error", None, "The server had an error while processing your request. Sorry about that!"),
    502: ("server_error", None, "Bad gateway."),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
}


def error_body(
    message: str, type_: str, *, param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    """OpenAI's error envelope."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


@dataclass
class FaultSpec:
    """One injected failure: the status, and what the body and headers say."""

    status: int
    retry_after: float | None = None  # seconds, sent as Retry-After (and Retry-After-Ms)
    code: str | None = None
    message: str | None = None
    type: str | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> FaultSpec:
        status = int(raw["status"])
        if not 400 <= status <= 599:
            raise ValueError(f"fault status must be 4xx or 5xx, got {status}")
        retry_after = raw.get("retry_after")
        return cls(
            status=status,
            retry_after=None if retry_after is None else float(retry_after),
            code=raw.get("code"),
            message=raw.get("message"),
            type=raw.get("type"),
        )

    def response_parts(self) -> tuple[int, dict[str, Any], dict[str, str]]:
        type_, code, message = _DEFAULT_ERRORS.get(self.status, ("server_error", None, "Injected failure."))
        headers: dict[str, str] = {}
        if self.retry_after is not None:
            headers["Retry-After"] = str(
                int(self.retry_after) if self.retry_after.is_integer() else self.retry_after
            )
            headers["Retry-After-Ms"] = str(int(self.retry_after * 1000))
        body = error_body(self.message or message, self.type or type_, code=self.code or code)
        return self.status, body, headers


@dataclass
class Faults:
    """What the server does to the next image requests (control endpoints excluded)."""

    latency: float = 0.0  # seconds added to every image request
    fail_next: list[FaultSpec] = field(default_factory=list)  # consumed one per request, in order
    fail_rate: float = 0.0  # share of requests (0..1) failing with fail_rate_status
    fail_rate_status: int = 500
    hang_next: int = 0  # the next N requests hang for hang_seconds before answering
    hang_seconds: float = 600.0
    content_policy_words: list[str] = field(default_factory=list)  # refuse prompts holding any of them
    # Altered-product mode (localdev.image_alter): edits stage an altered product.
    alter_rate: float = 0.0  # share of edit answers altered
    alter_kinds: list[str] = field(default_factory=lambda: ["recolour", "warp", "label"])
    alter_next: list[str] = field(default_factory=list)  # consumed one per edit answer, before the rate

    def update(self, data: dict[str, Any]) -> None:
        """Apply a ``/_control`` document; unknown keys are an error, so typos do not pass silently."""
        known = {
            "latency", "fail_next", "fail_rate", "fail_rate_status", "hang_next", "hang_seconds",
            "content_policy_when_prompt_contains", "alter_rate", "alter_kinds", "alter_next",
        }  # fmt: skip
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown control keys: {', '.join(sorted(unknown))}")
        if "latency" in data:
            self.latency = max(0.0, float(data["latency"]))
        if "fail_next" in data:
            self.fail_next.extend(FaultSpec.parse(item) for item in data["fail_next"] or [])
        if "fail_rate" in data:
            rate = float(data["fail_rate"])
            if not 0.0 <= rate <= 1.0:
                raise ValueError("fail_rate must be between 0 and 1")
            self.fail_rate = rate
        if "fail_rate_status" in data:
            self.fail_rate_status = FaultSpec.parse({"status": data["fail_rate_status"]}).status
        if "hang_next" in data:
            self.hang_next = max(0, int(data["hang_next"]))
        if "hang_seconds" in data:
            self.hang_seconds = max(0.0, float(data["hang_seconds"]))
        if "content_policy_when_prompt_contains" in data:
            words = data["content_policy_when_prompt_contains"] or []
            self.content_policy_words = [words] if isinstance(words, str) else [str(w) for w in words]

        self._update_alteration(data)

    def _update_alteration(self, data: dict[str, Any]) -> None:
        if "alter_rate" in data:
            rate = float(data["alter_rate"])
            if not 0.0 <= rate <= 1.0:
                raise ValueError("alter_rate must be between 0 and 1")
            self.alter_rate = rate
        for key in ("alter_kinds", "alter_next"):
            if key in data:
                kinds = [data[key]] if isinstance(data[key], str) else [str(k) for k in data[key] or []]
                unknown = set(kinds) - set(ALTERATIONS)
                if unknown:
                    raise ValueError(f"{key}: unknown alterations {', '.join(sorted(unknown))}")
                if key == "alter_kinds":
                    self.alter_kinds = kinds
                else:
                    self.alter_next.extend(kinds)

    def take_alteration(self) -> str | None:
        """How this edit answer alters the product, if it does."""
        return pick_alteration(self.alter_next, self.alter_rate, self.alter_kinds)

    def take_fault(self) -> FaultSpec | None:
        """The failure to inject into this request, if any."""
        if self.fail_next:
            return self.fail_next.pop(0)
        if self.fail_rate and random.random() < self.fail_rate:
            return FaultSpec(status=self.fail_rate_status)
        return None

    def take_hang(self) -> bool:
        if self.hang_next > 0:
            self.hang_next -= 1
            return True
        return False

    def refuses(self, prompt: str) -> bool:
        lowered = prompt.lower()
        return any(word.lower() in lowered for word in self.content_policy_words if word)

    def copy(self) -> Faults:
        return copy.deepcopy(self)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["content_policy_when_prompt_contains"] = data.pop("content_policy_words")
        return data


class Stats:
    """Counts per endpoint and outcome, requests in flight, and the last requests seen."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.outcomes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.in_flight = 0
        self.max_in_flight = 0
        self.recent: deque[dict[str, Any]] = deque(maxlen=200)

    def enter(self, endpoint: str) -> None:
        self.requests[endpoint] += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        self.in_flight -= 1

    def outcome(self, endpoint: str, outcome: str) -> None:
        self.outcomes[endpoint][outcome] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": dict(self.requests),
            "outcomes": {endpoint: dict(counts) for endpoint, counts in self.outcomes.items()},
            "in_flight": self.in_flight,
            "max_in_flight": self.max_in_flight,
            "recent": list(self.recent),
        }
