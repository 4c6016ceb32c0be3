"""A small model of an HCL file for the schema checker: blocks and attributes with lines.

python-hcl2's dictionary output drops line numbers and cannot always tell ``x { }`` from
``x = [{ }]``, so this reads its raw Lark parse tree instead (positions are kept there).
Expressions stay text: the checker only needs their names and the ``module.X.Y``
references in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import hcl2
from lark import Token, Tree

__all__ = ["Attribute", "Block", "Body", "ModuleRef", "parse_file", "parse_text"]

# module.NAME, optionally indexed (module.x[0], module.x["k"]), then .OUTPUT
_MODULE_REF = re.compile(r"\bmodule\.([A-Za-z_][\w-]*)\s*(?:\[[^\]]*\]\s*)*\.\s*([A-Za-z_][\w-]*)")


@dataclass(frozen=True)
class ModuleRef:
    module: str
    output: str
    line: int


@dataclass
class Attribute:
    name: str
    line: int
    text: str  # the expression's source text
    module_refs: list[ModuleRef] = field(default_factory=list)

    @property
    def literal(self) -> str | None:
        """The value of a plain quoted string (no interpolation), else None."""
        match = re.fullmatch(r'\s*"([^"$%]*)"\s*', self.text)
        return match.group(1) if match else None


@dataclass
class Block:
    type: str
    labels: list[str]
    line: int
    body: Body


@dataclass
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]


def _text_of(node: Tree | Token) -> str:
    if isinstance(node, Token):
        return str(node)
    return "".join(str(tok) for tok in node.scan_values(lambda v: isinstance(v, Token)))


def _label(node: Tree | Token) -> str:
    text = _text_of(node).strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _expression(source: str, node: Tree, line_starts: list[int]) -> tuple[str, list[ModuleRef]]:
    """The expression's text, and its module references outside string literals and comments."""
    start, end = node.meta.start_pos, node.meta.end_pos
    chars = list(source[start:end])
    for tok in node.scan_values(lambda v: isinstance(v, Token)):
        if tok.type in {"STRING_CHARS", "NL_OR_COMMENT"} and tok.start_pos is not None:
            for i in range(tok.start_pos - start, min(tok.end_pos or 0, end) - start):
                if chars[i] != "\n":
                    chars[i] = " "
    blanked = "".join(chars)
    refs = []
    for match in _MODULE_REF.finditer(blanked):
        offset = start + match.start()
        line = sum(1 for s in line_starts if s <= offset)
        refs.append(ModuleRef(match.group(1), match.group(2), line))
    return source[start:end], refs


def _body(source: str, tree: Tree, line_starts: list[int]) -> Body:
    body = Body()
    for child in tree.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _text_of(child.children[0]).strip()
            expr = [c for c in child.children[1:] if isinstance(c, Tree)][-1]
            text, refs = _expression(source, expr, line_starts)
            body.attributes[name] = Attribute(name, child.meta.line, text, refs)
        elif child.data == "block":
            parts = [c for c in child.children if isinstance(c, Tree)]
            inner = next((c for c in parts if c.data == "body"), Tree("body", []))
            labels = [_label(c) for c in parts[1:] if c.data != "body"]
            body.blocks.append(
                Block(_text_of(parts[0]).strip(), labels, child.meta.line, _body(source, inner, line_starts))
            )
    return body


def parse_text(source: str) -> Body:
    """The file's top-level body; raises the parser's error on invalid HCL."""
    tree = hcl2.parses_to_tree(source)
    line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
    top = next((c for c in tree.children if isinstance(c, Tree) and c.data == "body"), Tree("body", []))
    return _body(source, top, line_starts)


def parse_file(path: Path) -> Body:
    return parse_text(path.read_text(encoding="utf-8"))
