"""Why the quality gate stops a job: permanent, a retry would paint the same problem."""

from __future__ import annotations

from services.common.errors import PermanentError
from services.common.failure_codes import FailureCode

__all__ = ["QualityGateError", "ProductPageGoneError"]


class QualityGateError(PermanentError):
    """An image failed the quality gate after its fix was tried; the reason says what to do."""

    failure_code = FailureCode.IMAGE_QUALITY_FAILED
    public_reason = True  # the gate's own words: which check failed on which format, and what to do


class ProductPageGoneError(PermanentError):
    """The product page answered 404/410 when its price was re-read before printing."""

    failure_code = FailureCode.PRODUCT_GONE
    public_reason = True  # names the status and what to do, nothing internal
