"""Where a fact was read: a CSS-like selector for an element, the text around it, markup paths.

Enough for a person reviewing a fact to find it again in the page; cheap enough to build
for every candidate (a few ancestors, no full-tree walk).
"""

from __future__ import annotations

import re

from lxml import etree

from services.common.fact_evidence import MAX_CONTEXT

from .dom import element_text

__all__ = ["css_path", "around", "join_path", "record_path"]

_ID_RE = re.compile(r"^[A-Za-z][\w-]*$")
_CLASS_RE = re.compile(r"^[A-Za-z_-][\w-]*$")


def _step(el: etree._Element) -> str:
    tag = str(el.tag)
    node_id = (el.get("id") or "").strip()
    if node_id and _ID_RE.match(node_id) and len(node_id) <= 40:
        return f"{tag}#{node_id}"
    classes = [c for c in (el.get("class") or "").split() if _CLASS_RE.match(c)][:2]
    step = tag + "".join(f".{c}" for c in classes)
    parent = el.getparent()
    if parent is not None and not classes:
        same = [c for c in parent if c.tag == el.tag]
        if len(same) > 1:
            step += f":nth-of-type({same.index(el) + 1})"
    return step


def css_path(el: etree._Element | None, depth: int = 4) -> str:
    """ "div#buybox > span.price:nth-of-type(2)": up to ``depth`` steps, stopping at an id."""
    if el is None or not isinstance(el.tag, str):
        return ""
    steps: list[str] = []
    node: etree._Element | None = el
    while node is not None and isinstance(node.tag, str) and len(steps) < depth:
        step = _step(node)
        steps.append(step)
        if "#" in step or node.tag in ("body", "html"):
            break
        node = node.getparent()
    return " > ".join(reversed(steps))


def around(el: etree._Element | None) -> str:
    """The text of the smallest ancestor that says more than the element itself, capped."""
    if el is None or not isinstance(el.tag, str):
        return ""
    own = element_text(el)
    node = el.getparent()
    for _ in range(3):
        if node is None:
            break
        text = element_text(node)
        if len(text) > len(own) + 3:
            return text[:MAX_CONTEXT]
        node = node.getparent()
    return own[:MAX_CONTEXT]


def join_path(*parts: str) -> str:
    return ".".join(p.strip(".") for p in parts if p and p.strip("."))


def record_path(source: str, index: int) -> str:
    """The path of the ``index``-th product node a structured source described."""
    if source == "jsonld":
        return f'$..[?(@["@type"]=="Product")][{index}]'
    if source == "microdata":
        return f"[itemscope][itemtype*=Product]:nth-match({index + 1})"
    if source == "rdfa":
        return f"[typeof*=Product]:nth-match({index + 1})"
    return f"{source}[{index}]"
