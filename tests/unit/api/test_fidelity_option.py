"""The per-job ``onFidelityFailure`` option: composite by default, fail on request, nothing else."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.api.v1.requests import JobCreate
from services.common.job import JobOptions

URL = "https://shop.example/p/kettle"


def test_composite_is_the_default_and_survives_the_job_record() -> None:
    """Omitted, the option is composite; stored and read back, the job keeps what was asked."""
    assert JobCreate.model_validate({"productUrl": URL}).onFidelityFailure == "composite"
    asked = JobCreate.model_validate({"productUrl": URL, "onFidelityFailure": "fail"})
    stored = JobOptions(onFidelityFailure=asked.onFidelityFailure)
    assert JobOptions.from_dict({"onFidelityFailure": "fail", **{}}).onFidelityFailure == "fail"
    assert JobOptions.from_dict({}).onFidelityFailure == "composite"
    assert stored.onFidelityFailure == "fail"


def test_anything_else_is_refused() -> None:
    """A typo is a 400 at the API, never a silent default."""
    with pytest.raises(ValidationError, match="onFidelityFailure"):
        JobCreate.model_validate({"productUrl": URL, "onFidelityFailure": "ignore"})
