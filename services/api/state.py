"""What the API's request handlers share, built once in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.api.jobs import JobSubmitter
from services.api.presign import Presigner
from services.api.settings import ApiSettings
from services.common.job_store import JobStore
from services.common.settings import CommonSettings

__all__ = ["ApiState"]


@dataclass(slots=True)
class ApiState:
    common: CommonSettings
    settings: ApiSettings
    store: JobStore
    submitter: JobSubmitter
    presigner: Presigner
    aws: Any
