"""Why the quality gate stops a job: permanent, a retry would paint the same problem."""

from __future__ import annotations

from services.common.errors import PermanentError

__all__ = ["QualityGateError"]


class QualityGateError(PermanentError):
    """An image failed the quality gate after its fix was tried; the reason says what to do."""
