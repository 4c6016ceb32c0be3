"""Product nodes from JSON-LD blocks, including the broken ones shops publish.

Strict json.loads first (fast, and most blocks are fine); on failure the block is
cleaned of what templates typically leave in it (HTML comments, CDATA, entities) and
handed to json-repair, which copes with trailing commas, comments, raw newlines in
strings and missing brackets.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import json_repair
from lxml import etree

from .schema import is_product, local_types

__all__ = ["product_nodes", "load_block", "language_of_blocks"]

_SCRIPTS = etree.XPath(
    "//script[contains(translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),"
    " 'ld+json')]"
)
_WRAPPERS_RE = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
# Containers whose products are other products: lists, related items, reviews.
_SKIP_KEYS = frozenset(
    {
        "itemListElement",
        "isRelatedTo",
        "isSimilarTo",
        "isAccessoryOrSparePartFor",
        "isConsumableFor",
        "review",
        "reviews",
        "aggregateRating",
        "hasVariant",
        "isVariantOf",
        "model",
    }
)
_MAX_DEPTH = 8


def load_block(raw: str) -> Any:
    """The JSON value of one ld+json block, repaired when needed; None when hopeless."""
    text = _WRAPPERS_RE.sub("", raw.strip())
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    if "&quot;" in text or "&#" in text:
        text = html.unescape(text)
    try:
        value = json_repair.loads(text)
    except Exception:  # json-repair raises assorted errors on hopeless input
        return None
    return value if isinstance(value, (dict, list)) else None


def _walk(value: Any, ids: dict[str, dict[str, Any]], found: list[dict[str, Any]], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            _walk(item, ids, found, depth + 1)
        return
    if not isinstance(value, dict):
        return
    node_id = value.get("@id")
    if isinstance(node_id, str) and len(value) > 1:
        ids.setdefault(node_id, value)
    if is_product(value):
        found.append(value)
        return
    if "ItemList" in local_types(value) or "BreadcrumbList" in local_types(value):
        return
    for key, child in value.items():
        if key not in _SKIP_KEYS and isinstance(child, (dict, list)):
            _walk(child, ids, found, depth + 1)


def _resolve(value: Any, ids: dict[str, dict[str, Any]], depth: int = 0) -> Any:
    """Replace {"@id": ...} references (common in @graph) by the nodes they name."""
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, list):
        return [_resolve(v, ids, depth + 1) for v in value]
    if isinstance(value, dict):
        if set(value) == {"@id"} and isinstance(value["@id"], str) and value["@id"] in ids:
            return _resolve(ids[value["@id"]], ids, depth + 1)
        return {k: _resolve(v, ids, depth + 1) for k, v in value.items()}
    return value


def blocks(root: etree._Element) -> list[Any]:
    loaded = (load_block(script.text or "") for script in _SCRIPTS(root))
    return [block for block in loaded if block is not None]


def product_nodes(values: list[Any]) -> list[dict[str, Any]]:
    """Every top-level Product-like node, with @id references resolved."""
    ids: dict[str, dict[str, Any]] = {}
    found: list[dict[str, Any]] = []
    _walk(values, ids, found, 0)
    return [_resolve(node, ids) for node in found]


def language_of_blocks(values: list[Any]) -> str | None:
    for value in values:
        for node in value if isinstance(value, list) else [value]:
            if isinstance(node, dict) and isinstance(node.get("inLanguage"), str):
                return str(node["inLanguage"])
    return None
