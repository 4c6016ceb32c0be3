"""The lock of published event schemas: a snapshot of every ``<DetailType>/vN.json``.

A schema version is *published* once it is in ``schema_lock.json``. From then on the
compatibility test compares the file against its snapshot, so it can only change
compatibly. To publish a new version, or to record a compatible edit, run::

    .venv/bin/python -m tests.unit.events.schema_lock

which refuses to overwrite a snapshot with an incompatible change.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from services.common.events import SCHEMAS_DIR
from tests.unit.events.schema_compat import incompatibilities

__all__ = ["LOCK_PATH", "fingerprint", "load_lock", "lock_problems", "published_files", "update_lock"]

LOCK_PATH = Path(__file__).resolve().parent / "schema_lock.json"
_COMMENT = (
    "Snapshots of the published event schemas. Do not edit by hand: run "
    "`.venv/bin/python -m tests.unit.events.schema_lock` (see services/common/event_schemas/README.md)."
)


def fingerprint(schema: Any) -> str:
    """sha256 of the canonical JSON form, so whitespace and key order do not count."""
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def published_files(schemas_dir: Path = SCHEMAS_DIR) -> dict[str, Path]:
    """``"<DetailType>/vN.json"`` -> path, for every schema file in the folder."""
    return {f"{p.parent.name}/{p.name}": p for p in sorted(schemas_dir.glob("*/v*.json"))}


def load_lock(path: Path = LOCK_PATH) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    locked: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["schemas"]
    return locked


def lock_problems(locked: dict[str, dict[str, Any]], schemas_dir: Path = SCHEMAS_DIR) -> list[str]:
    """Every published version whose file is gone or changed incompatibly since it was locked."""
    files = published_files(schemas_dir)
    problems = [f"{name}: published but the file is gone" for name in locked if name not in files]
    for name, snapshot in locked.items():
        if name not in files:
            continue
        schema = json.loads(files[name].read_text(encoding="utf-8"))
        if fingerprint(schema) != snapshot["sha256"]:
            problems += [f"{name}: {p}" for p in incompatibilities(snapshot["schema"], schema)]
    return problems


def update_lock(schemas_dir: Path = SCHEMAS_DIR, path: Path = LOCK_PATH) -> list[str]:
    """Snapshot every schema file; return the problems that stopped it (nothing written then)."""
    problems = lock_problems(load_lock(path), schemas_dir)
    snapshots: dict[str, dict[str, Any]] = {}
    for name, file in published_files(schemas_dir).items():
        schema = json.loads(file.read_text(encoding="utf-8"))
        snapshots[name] = {"sha256": fingerprint(schema), "schema": schema}
    if not problems:
        document = {"$comment": _COMMENT, "schemas": snapshots}
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return problems


if __name__ == "__main__":
    found = update_lock()
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print("Not updated: these changes need a new vN+1.json instead.", file=sys.stderr)
    sys.exit(1 if found else 0)
