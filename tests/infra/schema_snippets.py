"""Runs the offline schema checker (infra/schema) over a configuration written to a temp dir."""

from __future__ import annotations

from pathlib import Path

from infra.schema.check import check_paths

__all__ = ["VERSIONS", "run"]

VERSIONS = """
terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 6.25" }
  }
}
"""


def run(tmp_path: Path, files: dict[str, str], *, versions: bool = True) -> list[str]:
    """Findings (as printed) for a configuration made of ``files`` (plus a versions.tf)."""
    if versions:
        files = {"versions.tf": VERSIONS, **files}
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    findings, _ = check_paths([tmp_path])
    return [str(f).replace(f"{tmp_path}/", "") for f in findings]
