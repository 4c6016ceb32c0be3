"""Resource, data source and provider blocks checked against the compact provider schema.

One walk per block body, at every depth: unknown arguments and blocks, computed-only
attributes set, required arguments and blocks missing, a single block repeated, an
attribute written as a block and a block written as an attribute. ``dynamic "x"`` counts
as block ``x`` and its ``content`` is checked as that block's body. Terraform's own
meta-arguments are accepted where Terraform accepts them.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from infra.schema.hcl_tree import Block, Body

__all__ = ["SCHEMA_PATH", "Finding", "check_schema_block", "load_schema"]

SCHEMA_PATH = Path(__file__).with_name("aws_provider_schema.json.gz")

RESOURCE_META_ATTRIBUTES = {"count", "for_each", "depends_on", "provider"}
RESOURCE_META_BLOCKS = {"lifecycle", "provisioner", "connection"}
# Resource types Terraform itself provides (no provider schema needed).
BUILTIN_RESOURCES: dict[str, dict[str, Any]] = {
    "terraform_data": {
        "attributes": {"input": "optional", "triggers_replace": "optional", "id": "computed", "output": "computed"}
    },
}
DYNAMIC_ATTRIBUTES = {"for_each", "iterator", "labels"}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.where}: {self.message}"


@cache
def load_schema(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


class _Walk:
    def __init__(self, path: Path, where: str) -> None:
        self.path = path
        self.where = where
        self.findings: list[Finding] = []

    def add(self, line: int, trail: str, message: str) -> None:
        where = f"{self.where}.{trail}" if trail else self.where
        self.findings.append(Finding(self.path, line, where, message))

    def body(self, body: Body, schema: dict[str, Any], trail: str, line: int, *, top: bool, sdkv2: bool) -> None:
        if schema.get("open"):
            return  # the provider's schema is recursive here; the bindings do not describe it
        attributes: dict[str, str] = schema.get("attributes", {})
        objects: dict[str, Any] = schema.get("objects", {})
        blocks: dict[str, Any] = schema.get("blocks", {})
        seen_blocks: dict[str, list[int]] = {}

        for name, attr in body.attributes.items():
            at = f"{trail}.{name}".lstrip(".")
            if top and name in RESOURCE_META_ATTRIBUTES:
                continue
            if name in blocks:
                self.add(
                    attr.line,
                    at,
                    f"'{name}' is a block: write {name} {{ ... }} (or dynamic \"{name}\"), not {name} = ...",
                )
            elif name not in attributes:
                self.add(attr.line, at, "unknown argument")
            elif attributes[name] == "computed":
                self.add(attr.line, at, "computed-only attribute: the provider sets it, a configuration cannot")

        for block in body.blocks:
            name, content, line_no = block.type, block.body, block.line
            if top and name in RESOURCE_META_BLOCKS:
                continue
            if name == "dynamic":
                name = block.labels[0] if block.labels else ""
                for extra in sorted(set(block.body.attributes) - DYNAMIC_ATTRIBUTES):
                    self.add(
                        block.body.attributes[extra].line,
                        f"{trail}.dynamic.{name}".lstrip("."),
                        f"unknown argument '{extra}' in a dynamic block",
                    )
                inner = block.body.blocks_of("content")
                content = inner[0].body if inner else Body()
                if not inner:
                    self.add(line_no, f"{trail}.dynamic.{name}".lstrip("."), "dynamic block without a content block")
            at = f"{trail}.{name}".lstrip(".")
            if name in blocks:
                seen_blocks.setdefault(name, []).append(line_no)
                self.body(content, blocks[name].get("block", {}), at, line_no, top=False, sdkv2=sdkv2)
            elif name in objects and sdkv2:
                # SDKv2 "attributes as blocks": Terraform accepts both spellings
                self.body(content, objects[name], at, line_no, top=False, sdkv2=sdkv2)
            elif name in objects:
                self.add(line_no, at, f"'{name}' is an attribute (an object): write {name} = {{ ... }}, not a block")
            elif name in attributes:
                self.add(line_no, at, f"'{name}' is an attribute: write {name} = ..., not a block")
            else:
                self.add(line_no, at, "unknown block")

        for name, kind in attributes.items():
            if kind == "required" and name not in body.attributes and name not in seen_blocks:
                if not any(b.type == name for b in body.blocks):
                    self.add(line, trail, f"missing required argument '{name}'")
        for name, spec in blocks.items():
            count = len(seen_blocks.get(name, []))
            if spec.get("min", 0) > count:
                self.add(line, trail, f"missing required block '{name}'")
            static = sum(1 for b in body.blocks if b.type == name)
            if spec.get("nesting") == "single" and static > 1:
                self.add(seen_blocks[name][1], f"{trail}.{name}".lstrip("."), "at most one such block is allowed")


def check_schema_block(path: Path, block: Block, schema: dict[str, Any]) -> list[Finding]:
    """Findings for one top-level ``resource``, ``data`` or ``provider`` block."""
    kind = block.type
    where = ".".join([kind, *block.labels]) if kind != "resource" else ".".join(block.labels)
    if kind == "provider":
        walk = _Walk(path, where)
        walk.body(block.body, schema["provider"], "", block.line, top=False, sdkv2=True)
        return walk.findings
    if len(block.labels) != 2:
        return [Finding(path, block.line, where, f"a {kind} block takes two labels, type and name")]
    rtype = block.labels[0]
    table = schema["resources"] if kind == "resource" else schema["data_sources"]
    entry = table.get(rtype) or (BUILTIN_RESOURCES.get(rtype) if kind == "resource" else None)
    if entry is None:
        noun = "resource type" if kind == "resource" else "data source"
        return [
            Finding(path, block.line, where, f"unknown {noun} '{rtype}' in hashicorp/aws {schema['provider_version']}")
        ]
    walk = _Walk(path, where)
    walk.body(block.body, entry, "", block.line, top=True, sdkv2=bool(entry.get("sdkv2")))
    return walk.findings
