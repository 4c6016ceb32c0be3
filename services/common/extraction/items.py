"""Microdata and RDFa Lite items as JSON-LD-shaped dicts.

Both syntaxes are the same idea with different attribute names (itemscope/itemtype/
itemprop vs typeof/property), so one walker serves both; its output feeds schema.py.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .schema import PRODUCT_TYPES

__all__ = ["MICRODATA", "RDFA", "ItemReader"]

_URL_ATTR = {
    "a": "href",
    "link": "href",
    "area": "href",
    "img": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "iframe": "src",
    "embed": "src",
    "object": "data",
}
_TEXT_NO_HEADINGS = etree.XPath(
    ".//text()[not(ancestor::h1 or ancestor::h2 or ancestor::h3 or ancestor::h4 or ancestor::h5"
    " or ancestor::h6 or ancestor::script or ancestor::style)]"
)
_NESTED_SKIP = frozenset(
    {"review", "reviews", "aggregateRating", "isRelatedTo", "isSimilarTo", "itemListElement"}
)


_TEXT_PROPS = frozenset({"brand", "manufacturer", "name", "sku", "mpn", "productID"})
_STRUCK_RE = re.compile(r"strike|line-through|(?:^|[-_\s])(?:old|was|regular|list)(?:$|[-_\s])", re.I)


def _unstruck_text(el: etree._Element) -> str:
    """A price element's text without its struck-through parts: "$79.99 $39.99" is $39.99 now."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        marks = " ".join(filter(None, (child.get("class"), child.get("style"))))
        if child.tag not in ("del", "s", "strike") and not _STRUCK_RE.search(marks):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def _struck_text(el: etree._Element) -> str:
    """The struck-through parts of a price element ("$79.99" of "$79.99 $39.99"), or ""."""
    parts = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        marks = " ".join(filter(None, (child.get("class"), child.get("style"))))
        if child.tag in ("del", "s", "strike") or _STRUCK_RE.search(marks):
            parts.append(child.text_content())
    return "".join(parts).strip()


class ItemReader:
    """Reads top-level product items of one syntax from a tree."""

    def __init__(self, source: str, scope_attr: str, type_attr: str, prop_attr: str) -> None:
        self.source = source
        self.type_attr = type_attr
        self.prop_attr = prop_attr
        self.scope_attr = scope_attr
        self._scopes = etree.XPath(f"//*[@{scope_attr}]")

    def _types(self, el: etree._Element) -> set[str]:
        raw = el.get(self.type_attr) or ""
        return {re.split(r"[/#:]", token)[-1] for token in raw.split() if token}

    def _props(self, el: etree._Element) -> list[str]:
        raw = el.get(self.prop_attr) or ""
        return [re.split(r"[/#:]", token)[-1] for token in raw.split() if token]

    def _value(self, el: etree._Element) -> Any:
        if el.get(self.scope_attr) is not None:
            return self.read(el)
        content = el.get("content")
        if content is not None:
            return content
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "a" and set(self._props(el)) & _TEXT_PROPS and el.text_content().strip():
            return el.text_content()  # a brand linked to its search page names the brand, not the URL
        if tag in _URL_ATTR and el.get(_URL_ATTR[tag]):
            return el.get(_URL_ATTR[tag])
        if tag in ("data", "meter") and el.get("value") is not None:
            return el.get("value")
        if tag == "time" and el.get("datetime"):
            return el.get("datetime")
        if el.get("resource") and self.source == "rdfa":
            return el.get("resource")
        if "price" in self._props(el) and len(el):
            return _unstruck_text(el)
        if self._props(el) == ["description"]:
            # A description block often opens with its own heading ("Produktinformationen …").
            return " ".join(t for t in _TEXT_NO_HEADINGS(el) if t.strip())
        return el.text_content()

    def read(self, scope: etree._Element) -> dict[str, Any]:
        item: dict[str, Any] = {"@type": sorted(self._types(scope))}
        stack = list(reversed(scope))
        while stack:
            el = stack.pop()
            if not isinstance(el.tag, str):
                continue
            props = self._props(el)
            if props and not (set(props) <= _NESTED_SKIP):
                value = self._value(el)
                for prop in props:
                    item.setdefault(prop, []).append(value)
                if "price" in props and len(el) and el.get("content") is None:
                    struck = _struck_text(el)
                    if struck:
                        item.setdefault("@struckPrice", []).append(struck)  # read by schema.py as the regular price
            if el.get(self.scope_attr) is None:
                stack.extend(reversed(el))
        return {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in item.items()}

    def products(self, root: etree._Element) -> list[dict[str, Any]]:
        """Product items that are not properties of another item (related products are)."""
        found = []
        for el in self._scopes(root):
            if not (self._types(el) & PRODUCT_TYPES):
                continue
            if set(self._props(el)) & _NESTED_SKIP or self._inside_product(el):
                continue
            found.append(self.read(el))
        return found

    def _inside_product(self, el: etree._Element) -> bool:
        """True for a product nested in another product (an accessory, a related item)."""
        parent = el.getparent()
        while parent is not None:
            if parent.get(self.scope_attr) is not None:
                return bool(self._types(parent) & PRODUCT_TYPES)
            parent = parent.getparent()
        return False


MICRODATA = ItemReader("microdata", "itemscope", "itemtype", "itemprop")
RDFA = ItemReader("rdfa", "typeof", "typeof", "property")
