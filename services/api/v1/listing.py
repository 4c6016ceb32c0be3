"""Query parameters of GET /v1/jobs and the opaque cursor's checks."""

from __future__ import annotations

import base64
import binascii
import json

from pydantic import BaseModel, ConfigDict, Field

from services.api.problems import Problem
from services.common.job_states import JobStatus

__all__ = ["ListQuery", "check_cursor"]


class ListQuery(BaseModel):
    # Query strings are text: lax mode turns "20" into 20. Unknown parameters are ignored.
    model_config = ConfigDict(extra="ignore", frozen=True)

    status: JobStatus | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, min_length=1, max_length=2048)


def check_cursor(cursor: str, tenant: str) -> str:
    """The cursor, when it is one this API issued for this tenant's listing; else 400."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        ok = (
            isinstance(key, dict)
            and set(key) == {"jobId", "tenant", "createdAt"}
            and all(isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in key.values())
            and key["tenant"]["S"] == tenant
        )
    except (ValueError, binascii.Error, UnicodeDecodeError):
        ok = False
    if not ok:
        raise Problem(
            400,
            "cursor is not one this API returned for your jobs; start again without it.",
            errors=[{"field": "cursor", "message": "invalid cursor", "code": "invalid"}],
        )
    return cursor
