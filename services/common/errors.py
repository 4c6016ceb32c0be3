"""The error families every service uses.

Whether an error is permanent or transient is a property of its type, never of string
matching: a permanent error fails the job and acknowledges the message, a transient one
leaves the message to be retried with backoff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from services.common.failure_codes import FailureCode

if TYPE_CHECKING:
    from services.common.job import Job

__all__ = [
    "ProductshotError",
    "PermanentError",
    "TransientError",
    "DeferredError",
    "JobIdTakenError",
    "RetriesExhaustedError",
    "MalformedMessageError",
    "JobNotFoundError",
    "JobTransitionConflictError",
    "DependencyUnavailableError",
    "StoreConditionFailedError",
    "JobFileNotFoundError",
    "ParameterNotFoundError",
    "QueueEntryRefusedError",
    "QueueEntryInvalidError",
    "QueueOperationUnsupportedError",
]


class ProductshotError(Exception):
    """Base class of every error the project raises on purpose."""

    #: True when retrying cannot help (bad input, policy refusal, missing product).
    permanent: bool = False
    #: What a failed job shows its tenant for this error (services.common.failure_codes).
    failure_code: ClassVar[FailureCode] = FailureCode.INTERNAL_ERROR
    #: True when ``reason`` is written for the shop owner and names nothing internal;
    #: otherwise the tenant sees the code's sentence and the reason stays in the logs.
    public_reason: ClassVar[bool] = False

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


class DeferredError(TransientError):
    """Not a failure: the work waits its turn under our own pacing (a shop host's slots).

    The consumer sends the message again with a delay instead of using one of its
    receives, so a large batch at a slow shop waits rather than failing; bounded by
    ``queue_message.MAX_DEFERRALS``.
    """


class RetriesExhaustedError(TransientError):
    """A transient failure outlived its retries; ``last`` is the error of the final attempt."""

    def __init__(self, attempts: int, last: BaseException) -> None:
        detail = last.reason if isinstance(last, ProductshotError) else f"{type(last).__name__}: {last}"
        super().__init__(f"gave up after {attempts} attempts: {detail}")
        self.attempts = attempts
        self.last = last


class MalformedMessageError(PermanentError):
    """A queue message that is not JSON, lacks fields or has an unknown schema version."""


class JobNotFoundError(PermanentError):
    """The job a message refers to does not exist (expired or never written)."""


class JobTransitionConflictError(ProductshotError):
    """A conditional write refused a state move: the job is elsewhere already.

    ``job`` is the job as the store found it after the refusal (read consistently).
    """

    def __init__(self, job: Job, wanted: str) -> None:
        actual = job.status.value
        super().__init__(f"job {job.jobId} cannot move to {wanted!r} from {actual!r}")
        self.job = job
        self.job_id = job.jobId
        self.wanted = wanted
        self.actual = actual


# What the AWS adapters raise: the SDK's errors never leave them.


class DependencyUnavailableError(TransientError):
    """An AWS service did not answer, throttled, or failed on its side: retry later."""


class JobIdTakenError(DependencyUnavailableError):
    """``JobStore.create`` found a job with this id already. For a fresh UUID (the API) that
    is a store failure like any other; a batch row's fixed job id meets it when two workers
    start the same row, and the loser leaves the job to the winner."""


class StoreConditionFailedError(PermanentError):
    """A conditional write was refused: the item is not in the state the write required."""


class JobFileNotFoundError(PermanentError):
    """No stored file under this key (never written, or removed)."""


class ParameterNotFoundError(PermanentError):
    """The named configuration parameter does not exist."""


class QueueEntryRefusedError(TransientError):
    """The queue refused one entry of a batch on its own side; ``code`` says why."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code


class QueueEntryInvalidError(PermanentError):
    """The queue refused one entry of a batch as the sender's fault; ``code`` says why."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code


class QueueOperationUnsupportedError(PermanentError):
    """The queue endpoint does not offer this operation (e.g. message move tasks)."""
