"""What an image model call can end in, as error types the consumer and the job sort on.

The model's own message (which may quote the prompt, an organisation or a request id)
stays in the reason for the logs; a failed job shows the code's fixed sentence.
"""

from __future__ import annotations

from services.common.errors import PermanentError, TransientError
from services.common.failure_codes import FailureCode

__all__ = ["ContentPolicyError", "ImageModelRejectedError", "ImageModelUnavailableError"]


class ContentPolicyError(PermanentError):
    """The image model's safety system refused the request."""

    failure_code = FailureCode.IMAGE_MODEL_REFUSED


class ImageModelRejectedError(PermanentError):
    """The image model refused the request as invalid (a 4xx other than throttling)."""

    failure_code = FailureCode.IMAGE_MODEL_REJECTED


class ImageModelUnavailableError(TransientError):
    """The image model was down, throttled, slow or answered something unusable: retry later."""

    failure_code = FailureCode.IMAGE_MODEL_UNAVAILABLE
