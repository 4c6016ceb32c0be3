"""The error families every service uses.

Whether an error is permanent or transient is a property of its type, never of string
matching: a permanent error fails the job and acknowledges the message, a transient one
leaves the message to be retried with backoff.
"""

from __future__ import annotations

__all__ = [
    "ProductshotError",
    "PermanentError",
    "TransientError",
    "MalformedMessageError",
    "JobNotFoundError",
    "JobTransitionConflictError",
]


class ProductshotError(Exception):
    """Base class of every error the project raises on purpose."""

    #: True when retrying cannot help (bad input, policy refusal, missing product).
    permanent: bool = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentError(ProductshotError):
    """Retrying cannot help: fail the job with this reason and acknowledge the message."""

    permanent = True


class TransientError(ProductshotError):
    """A dependency was slow or unavailable: retry later with backoff.

    ``retry_after`` (seconds) is a hint from the dependency, when it gave one.
    """

    permanent = False

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class MalformedMessageError(PermanentError):
    """A queue message that is not JSON, lacks fields or has an unknown schema version."""


class JobNotFoundError(PermanentError):
    """The job a message refers to does not exist (expired or never written)."""


class JobTransitionConflictError(ProductshotError):
    """A conditional write refused a state move: the job is elsewhere already."""

    def __init__(self, job_id: str, wanted: str, actual: str | None) -> None:
        super().__init__(f"job {job_id} cannot move to {wanted!r} from {actual!r}")
        self.job_id = job_id
        self.wanted = wanted
        self.actual = actual
