"""Framework states: Next.js `__NEXT_DATA__`, Nuxt `__NUXT__` / `__NUXT_DATA__`, Redux and Apollo.

These hold everything the page renders (the product, but also its related items, the mini
cart, recommendations), so products are found by shape (embedded_shape.py) and marked as
not-for-sure (`detail=False`): the extractor keeps one only when it is the page's product
(its URL or its name matches the page).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .embedded_scan import MAX_REPAIR_CHARS, ScriptText, assignments, literal_end, load_json
from .embedded_shape import EmbeddedProduct, find_products, join_path, product_from_object

__all__ = ["read_next", "read_nuxt", "read_initial_state"]

_STATE_NAMES = (
    "__INITIAL_STATE__",
    "__PRELOADED_STATE__",
    "__APOLLO_STATE__",
    "__STATE__",
    "__INITIAL_DATA__",
    "__REDUX_STATE__",
)
_MAX_APOLLO_ENTRIES = 5_000
_MAX_DEVALUE_NODES = 50_000


def read_next(scripts: list[ScriptText]) -> list[EmbeddedProduct]:
    for script in scripts:
        if script.id != "__NEXT_DATA__":
            continue
        data = load_json(script.text, repair=False)
        if not isinstance(data, dict):
            return []
        props = data.get("props")
        page_props = props.get("pageProps") if isinstance(props, dict) else None
        if isinstance(page_props, dict):
            return find_products(page_props, "__NEXT_DATA__.props.pageProps", "embedded:next")
        return find_products(data, "__NEXT_DATA__", "embedded:next")
    return []


def read_nuxt(scripts: list[ScriptText]) -> list[EmbeddedProduct]:
    """Nuxt 3's `__NUXT_DATA__` (devalue-flattened JSON) and Nuxt 2's `window.__NUXT__` object.

    Nuxt 2 usually writes `__NUXT__=(function(a,b){return {...}}(1,"x"))`: that is code and is
    not run; the returned object literal is read with each parameter replaced by its argument.
    """
    found: list[EmbeddedProduct] = []
    for script in scripts:
        if script.id == "__NUXT_DATA__":
            flat = load_json(script.text, repair=False)
            if isinstance(flat, list) and flat:
                found.extend(find_products(_unflatten(flat), "__NUXT_DATA__", "embedded:nuxt"))
        elif "__NUXT__" in script.text:
            for _, value in assignments(script.text, ("__NUXT__",)):
                found.extend(find_products(value, "__NUXT__", "embedded:nuxt"))
            value = _nuxt_function(script.text)
            if value is not None:
                found.extend(find_products(value, "__NUXT__", "embedded:nuxt"))
    return found


_NUXT_FUNCTION_RE = re.compile(r"__NUXT__\s*=\s*\(function\(([\w$,]{0,2000})\)\{")
# A string, or an identifier: strings are copied, identifiers may be parameters.
_JS_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[A-Za-z_$][\w$]*')


def _nuxt_function(script: str) -> Any:
    """The object `__NUXT__=(function(a,b){return {...}}(1,"x"))` returns, without running it.

    The parameters are plain names and the arguments plain values (that is what Nuxt emits), so
    substituting each argument's JSON for its parameter in value positions gives the same object.
    """
    head = _NUXT_FUNCTION_RE.search(script)
    if head is None:
        return None
    params = head.group(1).split(",")
    start = script.find("{", script.find("return", head.end()))
    end = literal_end(script, start) if start >= 0 else None
    if end is None or end - start > MAX_REPAIR_CHARS:
        return None
    call = script.find("(", end)
    if call < 0 or script[end:call].strip() != "}":
        return None
    call_end = literal_end(script, call)
    args = load_json("[" + script[call + 1 : call_end - 1] + "]") if call_end else None
    if not isinstance(args, list):
        return None
    values = {name: json.dumps(args[i] if i < len(args) else None) for i, name in enumerate(params)}
    body = script[start:end]

    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        if token not in values:
            return token
        before, after = match.start() - 1, match.end()
        while before >= 0 and body[before] in " \t\r\n":
            before -= 1
        while after < len(body) and body[after] in " \t\r\n":
            after += 1
        # A key ("a:") or a member ("x.a") keeps its name; only values are parameters.
        if body[after : after + 1] == ":" or (before >= 0 and body[before] == "."):
            return token
        return values[token]

    return load_json(_JS_TOKEN_RE.sub(substitute, body))


def _unflatten(flat: list[Any]) -> Any:
    """devalue's flat array back to a tree: values are indexes into ``flat``; cycles are cut."""
    budget = [_MAX_DEVALUE_NODES]

    def build(index: Any, seen: frozenset[int]) -> Any:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(flat):
            return None  # negative indexes encode undefined, NaN, infinities
        if index in seen or budget[0] <= 0:
            return None
        budget[0] -= 1
        seen = seen | {index}
        value = flat[index]
        if isinstance(value, dict):
            return {k: build(v, seen) for k, v in value.items()}
        if isinstance(value, list):
            if value and isinstance(value[0], str):
                # ["Reactive", i], ["Ref", i], ["ShallowReactive", i], ["Date", "..."], ...
                return build(value[1], seen) if len(value) == 2 and isinstance(value[1], int) else None
            return [build(v, seen) for v in value]
        return value

    return build(0, frozenset())


def read_initial_state(scripts: list[ScriptText]) -> list[EmbeddedProduct]:
    """`window.__INITIAL_STATE__ = {...}` and friends, plain JSON or `JSON.parse("...")`."""
    found: list[EmbeddedProduct] = []
    for script in scripts:
        text = script.text
        if "__" not in text:
            continue
        for name, value in assignments(text, _STATE_NAMES):
            if name == "__APOLLO_STATE__" and isinstance(value, dict):
                found.extend(_apollo_products(value))
            else:
                found.extend(find_products(value, name, "embedded:state"))
    return found


def _apollo_products(cache: dict[str, Any]) -> list[EmbeddedProduct]:
    """Apollo's normalised cache: entries such as "Product:42" whose members are `{"__ref": ...}`."""
    found: list[EmbeddedProduct] = []
    for key, entry in list(cache.items())[:_MAX_APOLLO_ENTRIES]:
        if not isinstance(entry, dict) or key.startswith("ROOT_"):
            continue
        product = product_from_object(_resolve(entry, cache, 0), join_path("__APOLLO_STATE__", key))
        if product is not None:
            found.append(EmbeddedProduct("embedded:apollo", join_path("__APOLLO_STATE__", key), product, False))
    return found


def _resolve(value: Any, cache: dict[str, Any], depth: int) -> Any:
    if depth > 3:
        return value
    if isinstance(value, dict):
        ref = value.get("__ref") if len(value) == 1 else value.get("id") if value.get("type") == "id" else None
        if isinstance(ref, str) and isinstance(cache.get(ref), dict):
            return _resolve(cache[ref], cache, depth + 1)
        return {k: _resolve(v, cache, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, cache, depth + 1) for v in value[:50]]
    return value
