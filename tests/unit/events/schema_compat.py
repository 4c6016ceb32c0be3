"""Is a new version of a JSON Schema compatible with the published one?

"Compatible" means every detail the old schema accepted, the new one accepts too, and no
property a consumer may read disappears. So a published ``vN.json`` may gain optional
properties, widen a type or an enum, drop a constraint or a required entry; anything else
needs a new ``vN+1.json``.

The checker is deliberately conservative: where it cannot prove a change widens (a new
regular expression, an edited ``allOf``/``if``), it reports it. Only the keywords the event
schemas use (draft-07) are reasoned about; local ``$ref`` to ``#/definitions/...`` is
inlined first, so moving a sub-schema into ``definitions`` is not a change.
"""

from __future__ import annotations

from typing import Any

__all__ = ["incompatibilities"]

Schema = dict[str, Any] | bool

# Pure documentation: changing these never changes what validates.
_ANNOTATIONS = frozenset({"title", "description", "examples", "$comment", "default", "definitions", "$defs"})
# Keywords handled explicitly below; any other keyword must be unchanged.
_HANDLED = frozenset(
    {
        "$schema", "$id", "type", "enum", "const", "required", "properties", "additionalProperties",
        "items", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
        "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "pattern", "format",
        "uniqueItems", "anyOf", "oneOf",
    }
)
# For lower bounds a bigger new value narrows; for upper bounds a smaller one does.
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_MISSING = object()


def incompatibilities(old: Schema, new: Schema) -> list[str]:
    """Every way ``new`` rejects or drops something ``old`` allowed; empty when compatible."""
    old_root = _inline_refs(old, old)
    new_root = _inline_refs(new, new)
    problems: list[str] = []
    if isinstance(old_root, dict) and isinstance(new_root, dict):
        for key in ("$schema", "$id"):
            if old_root.get(key) != new_root.get(key):
                problems.append(f"(root): {key} changed from {old_root.get(key)!r} to {new_root.get(key)!r}")
    _compare(old_root, new_root, "(root)", problems)
    return problems


def _inline_refs(node: Any, root: Any) -> Any:
    if isinstance(node, list):
        return [_inline_refs(item, root) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        # Siblings of $ref are ignored in draft-07, so the target alone is the schema.
        return _inline_refs(target, root)
    return {key: _inline_refs(value, root) for key, value in node.items()}


def _compare(old: Schema, new: Schema, path: str, problems: list[str]) -> None:
    if old is False or new is True or old == new:
        return
    if new is False:
        problems.append(f"{path}: now rejects everything")
        return
    old_s: dict[str, Any] = {} if old is True else old
    new_s: dict[str, Any] = new  # type: ignore[assignment]

    _compare_types(old_s, new_s, path, problems)
    _compare_values(old_s, new_s, path, problems)
    _compare_bounds(old_s, new_s, path, problems)
    _compare_object(old_s, new_s, path, problems)
    _compare_array(old_s, new_s, path, problems)
    _compare_alternatives(old_s, new_s, path, problems)

    for key in (set(old_s) | set(new_s)) - _HANDLED - _ANNOTATIONS:
        if old_s.get(key, _MISSING) != new_s.get(key, _MISSING):
            problems.append(f"{path}: {key} changed (cannot prove the change is compatible)")


def _types(schema: dict[str, Any]) -> set[str] | None:
    declared = schema.get("type")
    if declared is None:
        return None
    return {declared} if isinstance(declared, str) else set(declared)


def _compare_types(old: dict[str, Any], new: dict[str, Any], path: str, problems: list[str]) -> None:
    new_types = _types(new)
    if new_types is None:
        return
    old_types = _types(old)
    if old_types is None:
        problems.append(f"{path}: type narrowed from any to {sorted(new_types)}")
        return
    # An integer is a number, so integer -> number widens.
    lost = {t for t in old_types - new_types if not (t == "integer" and "number" in new_types)}
    if lost:
        problems.append(f"{path}: type narrowed, no longer accepts {sorted(lost)}")


def _allowed_values(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return list(schema["enum"])
    return None


def _compare_values(old: dict[str, Any], new: dict[str, Any], path: str, problems: list[str]) -> None:
    new_values = _allowed_values(new)
    if new_values is None:
        return
    old_values = _allowed_values(old)
    if old_values is None:
        problems.append(f"{path}: values narrowed from any to {new_values}")
        return
    lost = [v for v in old_values if v not in new_values]
    if lost:
        problems.append(f"{path}: enum narrowed, no longer accepts {lost}")


def _compare_bounds(old: dict[str, Any], new: dict[str, Any], path: str, problems: list[str]) -> None:
    for key in _LOWER_BOUNDS:
        if key in new and (key not in old or new[key] > old[key]):
            problems.append(f"{path}: {key} raised to {new[key]} (was {old.get(key, 'unset')})")
    for key in _UPPER_BOUNDS:
        if key in new and (key not in old or new[key] < old[key]):
            problems.append(f"{path}: {key} lowered to {new[key]} (was {old.get(key, 'unset')})")
    for key in ("pattern", "format"):
        if key in new and new[key] != old.get(key):
            problems.append(f"{path}: {key} changed to {new[key]!r} (was {old.get(key, 'unset')!r})")
    if new.get("uniqueItems") and not old.get("uniqueItems"):
        problems.append(f"{path}: uniqueItems added")


def _compare_object(old: dict[str, Any], new: dict[str, Any], path: str, problems: list[str]) -> None:
    added_required = sorted(set(new.get("required", [])) - set(old.get("required", [])))
    if added_required:
        problems.append(f"{path}: new required field(s) {added_required}")

    old_props: dict[str, Any] = old.get("properties", {})
    new_props: dict[str, Any] = new.get("properties", {})
    old_extra: Schema = old.get("additionalProperties", True)
    new_extra: Schema = new.get("additionalProperties", True)

    for name, old_prop in old_props.items():
        if name not in new_props:
            # Consumers may read it, whatever additionalProperties now says.
            problems.append(f"{path}.{name}: property removed")
        else:
            _compare(old_prop, new_props[name], f"{path}.{name}", problems)
    for name, new_prop in new_props.items():
        if name not in old_props and old_extra is not False:
            # The property used to be covered by additionalProperties, so its new schema
            # must accept whatever that allowed. (With additionalProperties false it could
            # not appear before, so adding it is a pure extension.)
            _compare(old_extra, new_prop, f"{path}.{name}", problems)

    if old_extra is not False and new_extra is False:
        problems.append(f"{path}: additionalProperties tightened to false")
    elif new_extra is not True and old_extra is not False:
        _compare(old_extra, new_extra, f"{path}.<additionalProperties>", problems)


def _compare_array(old: dict[str, Any], new: dict[str, Any], path: str, problems: list[str]) -> None:
    if "items" not in new:
        return
    old_items = old.get("items", True)
    if isinstance(old_items, list) or isinstance(new["items"], list):
        if old_items != new["items"]:
            problems.append(f"{path}[]: tuple items changed (cannot prove the change is compatible)")
        return
    _compare(old_items, new["items"], f"{path}[]", problems)


def _compare_alternatives(old: dict[str, Any], new: dict[str, Any], path: str, problems: list[str]) -> None:
    for key in ("anyOf", "oneOf"):
        if key not in new or old.get(key) == new[key]:
            continue
        old_branches = old.get(key)
        if old_branches is None:
            problems.append(f"{path}: {key} added")
            continue
        # Each old alternative must still be accepted by some new alternative.
        for index, branch in enumerate(old_branches):
            if not any(not incompatibilities(branch, candidate) for candidate in new[key]):
                problems.append(f"{path}: {key}[{index}] no longer accepted by any alternative")
