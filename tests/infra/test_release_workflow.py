"""The release workflow builds, scans and pushes the three images on a version tag.

actionlint is run on it when installed (the PyPI wrapper downloads its binary from GitHub
at install time, which some machines cannot reach); the structure below always runs.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
import yaml

from tests.infra.hcl import REPO_ROOT

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "release.yml"


def _workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def test_runs_on_version_tags_with_oidc_and_read_only_contents() -> None:
    """Triggered by v*.*.* tags only; AWS credentials through OIDC, no stored keys."""
    data = _workflow()
    on = data[True] if True in data else data["on"]  # YAML 1.1 reads the key `on` as True
    assert on == {"push": {"tags": ["v*.*.*"]}}
    assert data["permissions"] == {"contents": "read", "id-token": "write"}
    assert "AWS_SECRET_ACCESS_KEY" not in WORKFLOW.read_text(encoding="utf-8")


def test_each_image_is_built_scanned_then_pushed() -> None:
    """For api, scraper, renderer and batcher: build from docker/Dockerfile.<service>, Trivy fails the
    job on fixable HIGH/CRITICAL findings, and only then the image is pushed."""
    (job,) = _workflow()["jobs"].values()
    assert job["strategy"]["matrix"]["service"] == ["api", "scraper", "renderer", "batcher"]
    steps = job["steps"]
    uses = [s.get("uses", s.get("name", "")) for s in steps]
    build = next(i for i, u in enumerate(uses) if u.startswith("docker/build-push-action"))
    scan = next(i for i, u in enumerate(uses) if u.startswith("aquasecurity/trivy-action"))
    push = next(i for i, s in enumerate(steps) if s.get("name") == "Push")
    assert build < scan < push
    assert steps[build]["with"]["file"] == "docker/Dockerfile.${{ matrix.service }}"
    assert steps[build]["with"]["load"] is True and "push" not in steps[build]["with"]
    assert steps[scan]["with"]["exit-code"] == "1" and steps[scan]["with"]["severity"] == "HIGH,CRITICAL"
    assert all("@" in u for u in uses if "/" in u), "every action is pinned to a version"


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed on this machine")
def test_actionlint_finds_nothing() -> None:
    """actionlint (syntax, expressions, shellcheck of run steps) reports no problem."""
    done = subprocess.run(["actionlint", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
