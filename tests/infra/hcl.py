"""Parsed Terraform for the structural tests: every .tf file under infra/terraform.

python-hcl2 keeps HCL's quotes around string literals and block labels and leaves
expressions as ``${...}`` strings; the helpers here strip the quotes so tests can compare
plain values, and walk blocks as ``Block(path, kind, labels, body)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import hcl2

__all__ = [
    "REPO_ROOT",
    "TF_ROOT",
    "Block",
    "blocks",
    "flat_list",
    "load",
    "module_dirs",
    "tf_files",
    "unquote",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
TF_ROOT = REPO_ROOT / "infra" / "terraform"


@dataclass(frozen=True)
class Block:
    """One top-level block (resource, data, variable, output, module, ...) of a file."""

    path: Path
    kind: str
    labels: tuple[str, ...]
    body: dict[str, Any]

    @property
    def address(self) -> str:
        return f"{self.path.relative_to(TF_ROOT)}:{self.kind}.{'.'.join(self.labels)}"


def tf_files() -> list[Path]:
    return sorted(p for p in TF_ROOT.rglob("*.tf") if ".terraform" not in p.parts)


def module_dirs() -> list[Path]:
    """The root configuration and every local module."""
    return [TF_ROOT, *sorted(p for p in (TF_ROOT / "modules").iterdir() if p.is_dir())]


@cache
def load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = hcl2.load(handle)
    return data


def unquote(value: Any) -> Any:
    """A literal string without its HCL quotes; anything else unchanged."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def flat_list(value: Any) -> list[Any]:
    """A literal list's items unquoted; an expression as a one-item list of its text."""
    if isinstance(value, list):
        return [unquote(v) for v in value]
    return [unquote(value)]


def _labelled(
    kind: str, entry: dict[str, Any], depth: int
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    if depth == 0:
        yield (), entry
        return
    for label, inner in entry.items():
        if label.startswith("__"):
            continue
        for rest, body in _labelled(kind, inner, depth - 1):
            yield (unquote(label), *rest), body


_LABELS = {
    "resource": 2,
    "data": 2,
    "variable": 1,
    "output": 1,
    "module": 1,
    "provider": 1,
    "locals": 0,
    "terraform": 0,
}


def blocks(kind: str, *, first_label: str | None = None, directory: Path | None = None) -> list[Block]:
    """Every block of ``kind`` in the Terraform tree (or in one module directory)."""
    found: list[Block] = []
    files = tf_files() if directory is None else sorted(directory.glob("*.tf"))
    for path in files:
        for entry in load(path).get(kind, []):
            for labels, body in _labelled(kind, entry, _LABELS[kind]):
                if first_label is None or labels[0] == first_label:
                    found.append(Block(path, kind, labels, body))
    return found
