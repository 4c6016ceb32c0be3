"""Finding and loading the JSON that shops embed in their scripts, without running them.

Shops hand data to their own scripts as `window.__INITIAL_STATE__ = {...}`,
`var meta = {...}`, `dataLayer.push({...})` or `JSON.parse("...")`. The literal is located
with plain string search, cut out with a bounded scan that balances brackets and skips
strings (no regular expression that can backtrack), then read with strict `json` and,
for the JavaScript object literals analytics snippets use (single quotes, bare keys,
trailing commas), `json-repair`. Nothing is evaluated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import json_repair
from lxml import etree

__all__ = [
    "ScriptText",
    "PageScripts",
    "page_scripts",
    "load_json",
    "literal_at",
    "assignments",
    "call_arguments",
    "literal_end",
]

#: Scripts longer than this are not scanned at all (bundled libraries, not page data).
MAX_SCRIPT_CHARS = 3_000_000
#: All scripts of a page together: a 5 MB page must stay fast.
MAX_TOTAL_CHARS = 8_000_000
#: json-repair is pure Python: only literals up to this size are worth repairing.
MAX_REPAIR_CHARS = 200_000
#: Literals larger than this are not cut out of a script.
MAX_LITERAL_CHARS = 2_000_000

_TOKENS = re.compile(r"[{}\[\]()\"'`\\]")
_CLOSE = {"{": "}", "[": "]", "(": ")"}
# `void 0`, `!0` and `!1` are how minifiers write undefined, true and false.
_JS_WORDS = re.compile(r"(?<![\w$.])(?:void 0|!0|!1|undefined)(?![\w$])")
_JS_VALUES = {"void 0": "null", "!0": "true", "!1": "false", "undefined": "null"}


@dataclass(frozen=True, slots=True)
class ScriptText:
    """One inline script: its id, type and text (attributes kept for the platform readers)."""

    text: str
    id: str
    type: str
    element: etree._Element


@dataclass(slots=True)
class PageScripts:
    """The page's inline scripts, plus the cheap signs of its platform: script URLs, body class."""

    scripts: list[ScriptText] = field(default_factory=list)
    sources: str = ""  # every external script's URL, space-separated
    body_class: str = ""

    def mention(self, marker: str) -> bool:
        return any(marker in script.text for script in self.scripts)


def page_scripts(root: etree._Element) -> PageScripts:
    """Inline scripts that may carry data, in page order, within the size bounds."""
    found = PageScripts()
    sources: list[str] = []
    total = 0
    for script in root.iter("script"):
        src = script.get("src")
        if src:
            sources.append(src)
            continue
        text = script.text or ""
        if not text.strip() or len(text) > MAX_SCRIPT_CHARS or total + len(text) > MAX_TOTAL_CHARS:
            continue
        total += len(text)
        found.scripts.append(ScriptText(text, script.get("id") or "", (script.get("type") or "").lower(), script))
    body = root.find("body")
    found.sources = " ".join(sources)
    found.body_class = (body.get("class") or "") if body is not None else ""
    return found


def load_json(text: str, *, repair: bool = True) -> Any:
    """The JSON value of ``text``; JS literals are repaired when small enough. None when hopeless."""
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    if not repair or len(text) > MAX_REPAIR_CHARS:
        return None
    text = _JS_WORDS.sub(lambda m: _JS_VALUES[m.group(0)], text)
    try:
        value = json_repair.loads(text)
    except Exception:  # json-repair raises assorted errors on hopeless input
        return None
    return value if isinstance(value, (dict, list)) else None


def literal_end(text: str, start: int) -> int | None:
    """Index just past the bracketed literal opening at ``start``; None when unbalanced or too long."""
    stack: list[str] = []
    quote: str | None = None
    limit = min(len(text), start + MAX_LITERAL_CHARS)
    pos = start
    while pos < limit:
        match = _TOKENS.search(text, pos, limit)
        if match is None:
            return None
        char = match.group(0)
        pos = match.end()
        if quote is not None:
            if char == "\\":
                pos += 1  # the escaped character, whatever it is
            elif char == quote:
                quote = None
        elif char in "\"'`":
            quote = char
        elif char in _CLOSE:
            stack.append(_CLOSE[char])
        elif char in "}])":
            if not stack or stack.pop() != char:
                return None
            if not stack:
                return pos
    return None


def literal_at(text: str, start: int, require: str | None = None) -> Any:
    """The object or array literal starting at ``start`` (after whitespace), loaded; or None.

    Also reads `JSON.parse("...")` and `JSON.parse('...')`, the form bundlers emit for big states.
    With ``require``, a literal not containing that word is not loaded (repairing costs).
    """
    length = len(text)
    while start < length and text[start] in " \t\r\n":
        start += 1
    if text.startswith("JSON.parse(", start):
        return _json_parse_argument(text, start + len("JSON.parse("))
    if start >= length or text[start] not in "{[":
        return None
    # Strict JSON is the common case and C-fast: try it before balancing brackets in Python.
    try:
        return json.JSONDecoder().raw_decode(text, start)[0]
    except ValueError:
        pass
    end = literal_end(text, start)
    if end is None or (require is not None and require not in text[start:end]):
        return None
    return load_json(text[start:end])


def _json_parse_argument(text: str, start: int) -> Any:
    quote = text[start : start + 1]
    if quote not in ("'", '"'):
        return None
    end = start + 1
    limit = min(len(text), start + MAX_LITERAL_CHARS)
    while end < limit and text[end] != quote:
        end += 2 if text[end] == "\\" else 1
    if end >= limit:
        return None
    body = text[start + 1 : end]
    if quote == "'":
        body = body.replace("\\'", "'").replace('"', '\\"')
    try:
        inner = json.loads('"' + body + '"')
    except ValueError:
        return None
    return load_json(inner, repair=False)


def assignments(script: str, names: tuple[str, ...], require: str | None = None) -> Iterator[tuple[str, Any]]:
    """(name, value) for each `name = <literal>` in the script, for the given global names.

    Matches `window.NAME =`, `var NAME =`, `NAME=`; not `NAME ==` nor `NAME.x =`.
    """
    for name in names:
        pos = script.find(name)
        while pos >= 0:
            before = script[pos - 1] if pos > 0 else " "
            after = pos + len(name)
            if before.isalnum() or before in "_$":
                pos = script.find(name, after)
                continue
            probe = after
            while probe < len(script) and script[probe] in " \t":
                probe += 1
            if script.startswith("=", probe) and not script.startswith("==", probe):
                value = literal_at(script, probe + 1, require)
                if value is not None:
                    yield name, value
            pos = script.find(name, after)


def call_arguments(script: str, callee: str, max_calls: int = 50, require: str | None = None) -> Iterator[list[Any]]:
    """The literal arguments of each `callee(...)` call: `dataLayer.push({...})`, `gtag('event', ...)`."""
    pos = script.find(callee + "(")
    calls = 0
    while pos >= 0 and calls < max_calls:
        calls += 1
        cursor = pos + len(callee) + 1
        args: list[Any] = []
        while True:
            while cursor < len(script) and script[cursor] in " \t\r\n":
                cursor += 1
            head = script[cursor : cursor + 1]
            if head in ("{", "["):
                end = literal_end(script, cursor)
                if end is None:
                    break
                literal = script[cursor:end]
                args.append(load_json(literal) if require is None or require in literal else None)
                cursor = end
            elif head in ("'", '"'):
                end = script.find(head, cursor + 1)
                if end < 0 or end - cursor > 200:
                    break
                args.append(script[cursor + 1 : end])
                cursor = end + 1
            else:
                break
            while cursor < len(script) and script[cursor] in " \t\r\n":
                cursor += 1
            if script[cursor : cursor + 1] != ",":
                break
            cursor += 1
        if args:
            yield args
        pos = script.find(callee + "(", cursor)
