"""The fair-share limit is read from the environment, and docs/batches.md states its default."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.batcher.settings import BatchSettings

DOC = Path(__file__).resolve().parents[3] / "docs" / "batches.md"


def test_the_per_tenant_limit_comes_from_its_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    """BATCH_MAX_IN_FLIGHT_PER_TENANT sets the limit."""
    monkeypatch.setenv("BATCH_MAX_IN_FLIGHT_PER_TENANT", "7")
    assert BatchSettings().max_in_flight_per_tenant == 7


def test_the_doc_states_the_default() -> None:
    """docs/batches.md names the variable with the default the code uses."""
    default = BatchSettings.model_fields["max_in_flight_per_tenant"].default
    assert f"`BATCH_MAX_IN_FLIGHT_PER_TENANT` (default {default})" in DOC.read_text(encoding="utf-8")
