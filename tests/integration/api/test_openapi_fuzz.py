"""schemathesis against /openapi.json over the real app: no 5xx, every response matches the document."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.api.conftest import KEY
from tests.integration.conftest import ROOT, Services

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "negative_data_rejection",
    ]
)


def test_generated_requests_get_documented_answers_and_never_5xx(api: Services, tmp_path: Path) -> None:
    """Examples, coverage, fuzzing and stateful phases (bounded examples per operation) pass every check."""
    examples = os.environ.get("API_FUZZ_EXAMPLES", "15")
    seed = os.environ.get("API_FUZZ_SEED", "20241")
    cmd = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{api.api}/openapi.json",
        "-H",
        f"Authorization: Bearer {KEY}",
        "--checks",
        CHECKS,
        "-n",
        examples,
        "--seed",
        seed,
        "--request-timeout",
        "15",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(
        cmd,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
