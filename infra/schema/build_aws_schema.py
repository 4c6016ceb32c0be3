"""Build the compact AWS provider schema (aws_provider_schema.json.gz) from a cdktf .jsii file.

The npm package ``@cdktf/provider-aws`` ships prebuilt bindings for one ``hashicorp/aws``
release, and its ``package/.jsii`` (about 130 MB of JSON) describes every resource and
data source of that release: one ``...Config`` struct per type whose properties are the
settable arguments (camelCase; the Terraform name is the ``#snake_case`` anchor of each
property's registry link), optional or not, with nested blocks as further structs whose
docs say ``<name> block.``. The class's own getters that are not in the config are the
computed-only attributes. This keeps what a checker needs and drops the rest:

    {"provider_version": "6.25.0", "resources": {"aws_sqs_queue": BLOCK}, "data_sources": {...},
     "provider": BLOCK}
    BLOCK = {"attributes": {name: "required" | "optional" | "computed"},
             "objects": {name: BLOCK},     # object-typed attributes (``name = {...}`` or ``[{...}]``)
             "blocks": {name: {"nesting": "single" | "list", "min": n, "block": BLOCK}},
             "open": true,                 # contents not described (recursive, e.g. wafv2 statement)
             "sdkv2": true}                # top level only: object attributes may be written as blocks

Usage (see infra/schema/README.md):
    npm pack @cdktf/provider-aws@21.22.1 && tar xzf cdktf-provider-aws-21.22.1.tgz package/.jsii
    python -m infra.schema.build_aws_schema package/.jsii infra/schema/aws_provider_schema.json.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path
from typing import Any

__all__ = ["build_schema", "main"]

_ASSEMBLY = "@cdktf/provider-aws."
_ANCHOR = re.compile(r"/docs(?:/(resources|data-sources)/\w+)?#(\w+) ")
_REPRESENTS = re.compile(r"/providers/hashicorp/aws/([\d.]+)/docs(?:/(resources|data-sources)/\w+)? (aws\w*)\}")
_SDKV2_ID = "automatically added to all resources in Terraform providers using a Terraform provider SDK"
# Getters every cdktf class has that are not provider attributes.
_BASE_GETTERS = {"tfResourceType", "fqn", "friendlyUniqueId", "terraformResourceType"}

_META_ARGUMENTS = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}

Types = dict[str, Any]


def _struct_fqns(type_ref: Any) -> list[str]:
    """Struct types a property's type names (directly, in a collection or in a union)."""
    text = json.dumps(type_ref)
    return re.findall(r'"fqn": "(@cdktf/provider-aws\.[^"]+)"', text)


def _is_collection(type_ref: Any) -> bool:
    return "collection" in json.dumps(type_ref)


def _snake(camel: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", camel).lower()


def _tf_name(prop: dict[str, Any]) -> str:
    docs = prop.get("docs", {})
    match = _ANCHOR.search(docs.get("summary", "") + " " + docs.get("remarks", ""))
    return match.group(2) if match else _snake(prop["name"])


def _computed_only(types: Types, class_fqn: str, settable: set[str]) -> list[str]:
    """Getters of the resource class (or a block's OutputReference) that cannot be set."""
    cls = types.get(class_fqn)
    if not cls:
        return []
    names = []
    for prop in cls.get("properties", []):
        name = prop["name"]
        if prop.get("static") or name in _BASE_GETTERS or name.endswith("Input") or name in settable:
            continue
        if name in {"internalValue", "complexObjectIndex", "complexObjectIsFromSet", "creationStack"}:
            continue
        names.append(_snake(name))
    return names


def _block(types: Types, struct_fqn: str, class_fqn: str | None, depth: int = 0) -> dict[str, Any]:
    struct = types[struct_fqn]
    attributes: dict[str, str] = {}
    objects: dict[str, Any] = {}
    blocks: dict[str, Any] = {}
    settable = set()
    for prop in struct.get("properties", []):
        settable.add(prop["name"])
        name = _tf_name(prop)
        if depth == 0 and name in _META_ARGUMENTS:
            continue  # Terraform's, not the provider's
        structs = [f for f in _struct_fqns(prop["type"]) if types.get(f, {}).get("kind") == "interface"]
        is_block = prop.get("docs", {}).get("summary", "").endswith(" block.")
        required = not prop.get("optional", False)
        if is_block:
            entry: dict[str, Any] = {"nesting": "list" if _is_collection(prop["type"]) else "single"}
            if required:
                entry["min"] = 1
            if structs and depth < 40:
                entry["block"] = _block(types, structs[0], structs[0] + "OutputReference", depth + 1)
            else:
                entry["block"] = {"open": True}
            blocks[name] = entry
        elif structs and depth < 40:
            attributes[name] = "required" if required else "optional"
            objects[name] = _block(types, structs[0], structs[0] + "OutputReference", depth + 1)
        else:
            attributes[name] = "required" if required else "optional"
    if class_fqn:
        for name in _computed_only(types, class_fqn, settable):
            attributes.setdefault(name, "computed")
    out: dict[str, Any] = {"attributes": attributes}
    if objects:
        out["objects"] = objects
    if blocks:
        out["blocks"] = blocks
    return out


def _config_fqn(cls: dict[str, Any]) -> str:
    """The constructor's config struct (usually ``<Class>Config``; renamed on a name clash)."""
    for param in cls.get("initializer", {}).get("parameters", []):
        if param["name"] == "config":
            return str(param["type"].get("fqn", ""))
    return ""


def build_schema(types: Types, package_version: str) -> dict[str, Any]:
    """The compact schema of every resource, data source and the provider block."""
    resources: dict[str, Any] = {}
    data_sources: dict[str, Any] = {}
    provider: dict[str, Any] = {}
    provider_version = ""
    for fqn, cls in types.items():
        if cls.get("kind") != "class" or not fqn.startswith(_ASSEMBLY):
            continue
        match = _REPRESENTS.search(cls.get("docs", {}).get("summary", ""))
        config_fqn = _config_fqn(cls)
        if not match or config_fqn not in types:
            continue
        provider_version, kind, tf_type = match.groups()
        block = _block(types, config_fqn, fqn)
        if kind is None:
            provider = block
            continue
        if any(_SDKV2_ID in p.get("docs", {}).get("remarks", "") for p in types[config_fqn].get("properties", [])):
            block["sdkv2"] = True
        (resources if kind == "resources" else data_sources)[tf_type] = block
    return {
        "provider_source": "registry.terraform.io/hashicorp/aws",
        "provider_version": provider_version,
        "built_from": f"@cdktf/provider-aws@{package_version}",
        "provider": provider,
        "resources": dict(sorted(resources.items())),
        "data_sources": dict(sorted(data_sources.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("jsii", type=Path, help="package/.jsii from @cdktf/provider-aws")
    parser.add_argument("output", type=Path, help="where to write the schema (.json or .json.gz)")
    args = parser.parse_args(argv)
    assembly = json.loads(args.jsii.read_text(encoding="utf-8"))
    schema = build_schema(assembly["types"], assembly["version"])
    text = json.dumps(schema, separators=(",", ":"), sort_keys=True)
    if args.output.suffix == ".gz":
        # mtime=0: the same input gives the same bytes, so a rebuild shows no spurious diff
        # and no file name in the header either
        with args.output.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle:
            handle.write(text.encode("utf-8"))
    else:
        args.output.write_text(text, encoding="utf-8")
    print(
        f"{args.output}: hashicorp/aws {schema['provider_version']}, {len(schema['resources'])} resources, "
        f"{len(schema['data_sources'])} data sources, {len(text)} bytes of JSON, "
        f"{args.output.stat().st_size} bytes written"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
