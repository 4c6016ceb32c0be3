"""Published schema versions can only change compatibly; a new version is the way out."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from services.common.events import SCHEMAS_DIR
from tests.unit.events.schema_compat import incompatibilities
from tests.unit.events.schema_lock import LOCK_PATH, fingerprint, load_lock, lock_problems, update_lock

BASE: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "urn:test:v1",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "kind"],
    "properties": {
        "id": {"type": "string", "minLength": 1, "maxLength": 64},
        "kind": {"type": "string", "enum": ["a", "b"]},
        "count": {"type": "integer", "minimum": 0, "maximum": 10},
        "note": {"type": ["string", "null"]},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
        "meta": {"type": "object"},
        "child": {"$ref": "#/definitions/child"},
    },
    "definitions": {
        "child": {
            "type": "object",
            "additionalProperties": False,
            "required": ["x"],
            "properties": {"x": {"type": "integer"}, "y": {"type": "string"}},
        }
    },
}


def _edit(path: str, value: Any = None, *, delete: bool = False) -> dict[str, Any]:
    schema = copy.deepcopy(BASE)
    *parents, last = path.split("/")
    node: Any = schema
    for part in parents:
        node = node[part]
    if delete:
        del node[last]
    else:
        node[last] = value
    return schema


INCOMPATIBLE = {
    "removed property": _edit("properties/note", delete=True),
    "removed nested property": _edit("definitions/child/properties/y", delete=True),
    "narrowed type": _edit("properties/note/type", "string"),
    "type replaced": _edit("properties/count/type", "boolean"),
    "narrowed enum": _edit("properties/kind/enum", ["a"]),
    "enum added to free value": _edit("properties/id/enum", ["x"]),
    "const added": _edit("properties/kind/const", "a"),
    "new required field": _edit("required", ["id", "kind", "count"]),
    "new required nested field": _edit("definitions/child/required", ["x", "y"]),
    "additionalProperties tightened": _edit("properties/meta/additionalProperties", False),
    "additionalProperties constrained": _edit("properties/meta/additionalProperties", {"type": "string"}),
    "constrained a free-form member": _edit("properties/meta/properties", {"k": {"type": "string"}}),
    "minLength raised": _edit("properties/id/minLength", 2),
    "maxLength lowered": _edit("properties/id/maxLength", 32),
    "minimum raised": _edit("properties/count/minimum", 1),
    "maximum lowered": _edit("properties/count/maximum", 9),
    "maxItems lowered": _edit("properties/tags/maxItems", 3),
    "minItems added": _edit("properties/tags/minItems", 1),
    "uniqueItems added": _edit("properties/tags/uniqueItems", True),
    "pattern added": _edit("properties/id/pattern", "^[a-z]+$"),
    "format added": _edit("properties/id/format", "uuid"),
    "array items narrowed": _edit("properties/tags/items", {"type": "string", "maxLength": 3}),
    "nested type narrowed via $ref": _edit("definitions/child/properties/x/type", "string"),
    "unknown keyword changed": _edit("properties/count/multipleOf", 2),
    "anyOf added": _edit("properties/note/anyOf", [{"type": "string"}]),
    "$id changed": _edit("$id", "urn:test:other"),
    "now rejects everything": _edit("properties/note", False),
}

COMPATIBLE = {
    "optional property added": _edit("properties/extra", {"type": "string"}),
    "enum widened": _edit("properties/kind/enum", ["a", "b", "c"]),
    "type widened": _edit("properties/id/type", ["string", "null"]),
    "integer widened to number": _edit("properties/count/type", "number"),
    "required field dropped": _edit("required", ["id"]),
    "maxLength raised": _edit("properties/id/maxLength", 128),
    "minimum lowered": _edit("properties/count/minimum", -5),
    "constraint removed": _edit("properties/tags/maxItems", delete=True),
    "additionalProperties loosened": _edit("additionalProperties", True),
    "description changed": _edit("properties/id/description", "The id."),
    "examples changed": _edit("examples", [{"id": "x", "kind": "a"}]),
    "nested optional property added": _edit("definitions/child/properties/z", {"type": "boolean"}),
}


@pytest.mark.parametrize("name", INCOMPATIBLE)
def test_checker_catches_each_incompatible_change_kind(name: str) -> None:
    """Every kind of narrowing/removal is reported by the checker."""
    assert incompatibilities(BASE, INCOMPATIBLE[name]), name


@pytest.mark.parametrize("name", COMPATIBLE)
def test_checker_accepts_compatible_changes(name: str) -> None:
    """Widening, adding optional properties and editing annotations are not flagged."""
    assert incompatibilities(BASE, COMPATIBLE[name]) == []


def test_checker_names_the_offending_path() -> None:
    """A report points at the property that changed, so the fix is obvious."""
    problems = incompatibilities(BASE, INCOMPATIBLE["nested type narrowed via $ref"])
    assert problems == ["(root).child.x: type narrowed, no longer accepts ['integer']"]


def test_every_schema_file_is_locked() -> None:
    """Every schema version in the repo has a snapshot in schema_lock.json (it is published).

    A new vN.json fails here until it is locked with `python -m tests.unit.events.schema_lock`.
    """
    locked = load_lock()
    files = {f"{p.parent.name}/{p.name}" for p in SCHEMAS_DIR.glob("*/v*.json")}
    assert files - set(locked) == set(), "run .venv/bin/python -m tests.unit.events.schema_lock"


def test_published_schemas_have_not_changed_incompatibly() -> None:
    """No published vN.json was removed or narrowed since it was locked (a new version is needed)."""
    assert lock_problems(load_lock()) == []


def test_lock_snapshots_match_their_fingerprints() -> None:
    """The lock itself was not hand-edited: each snapshot hashes to its stored fingerprint."""
    for name, snapshot in load_lock().items():
        assert fingerprint(snapshot["schema"]) == snapshot["sha256"], name


def _copy_schemas(tmp_path: Path) -> tuple[Path, Path]:
    schemas = tmp_path / "event_schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    lock = tmp_path / "schema_lock.json"
    shutil.copy(LOCK_PATH, lock)
    return schemas, lock


def _rewrite(path: Path, change: Any) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def test_incompatible_edit_of_a_published_version_fails(tmp_path: Path) -> None:
    """Narrowing the published ProductImageGenerated v1 in place is caught, and the lock refuses it."""
    schemas, lock = _copy_schemas(tmp_path)
    v1 = schemas / "ProductImageGenerated" / "v1.json"

    def require_thumbnail(schema: dict[str, Any]) -> None:
        schema["required"].append("thumbnail")
        schema["properties"]["thumbnail"] = {"type": "string"}

    _rewrite(v1, require_thumbnail)
    assert any("new required field(s) ['thumbnail']" in p for p in lock_problems(load_lock(lock), schemas))
    before = lock.read_text(encoding="utf-8")
    assert update_lock(schemas, lock)
    assert lock.read_text(encoding="utf-8") == before


def test_removing_a_published_version_fails(tmp_path: Path) -> None:
    """Deleting a published vN.json is reported: subscribers may still depend on it."""
    schemas, lock = _copy_schemas(tmp_path)
    (schemas / "JobFailed" / "v1.json").unlink()
    assert lock_problems(load_lock(lock), schemas) == ["JobFailed/v1.json: published but the file is gone"]


def test_new_version_next_to_v1_passes_and_can_be_locked(tmp_path: Path) -> None:
    """The same incompatible change shipped as v2.json leaves v1 intact: the guard passes, v2 gets locked."""
    schemas, lock = _copy_schemas(tmp_path)
    v2 = schemas / "ProductImageGenerated" / "v2.json"
    shutil.copy(schemas / "ProductImageGenerated" / "v1.json", v2)

    def bump(schema: dict[str, Any]) -> None:
        schema["$id"] = "urn:productshot:events:ProductImageGenerated:v2"
        schema["properties"]["schemaVersion"]["enum"] = [2]
        schema["required"].append("thumbnail")
        schema["properties"]["thumbnail"] = {"type": "string"}

    _rewrite(v2, bump)
    assert lock_problems(load_lock(lock), schemas) == []
    assert update_lock(schemas, lock) == []
    assert "ProductImageGenerated/v2.json" in load_lock(lock)


def test_compatible_edit_of_a_published_version_passes(tmp_path: Path) -> None:
    """Adding an optional property to a published v1 in place is allowed and re-locks cleanly."""
    schemas, lock = _copy_schemas(tmp_path)
    v1 = schemas / "JobFailed" / "v1.json"
    _rewrite(v1, lambda s: s["properties"].update(detailCode={"type": ["string", "null"]}))
    assert lock_problems(load_lock(lock), schemas) == []
    assert update_lock(schemas, lock) == []
