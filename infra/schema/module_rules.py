"""Checks across a configuration and the local modules it calls.

A local module (``source = "./..."`` or ``"../..."``) is read from disk: every argument a
call passes must be a variable the module declares, every variable without a default
must be passed, and every ``module.X.Y`` reference in the caller must name an output
module X declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from infra.schema.hcl_tree import Block, Body, parse_file
from infra.schema.schema_rules import Finding

__all__ = ["Configuration", "check_module_calls", "load_configuration"]

MODULE_META_ARGUMENTS = {"source", "version", "count", "for_each", "providers", "depends_on"}


@dataclass
class Configuration:
    """The .tf files of one directory (a root or a module), parsed."""

    directory: Path
    files: dict[Path, Body] = field(default_factory=dict)

    def blocks(self, block_type: str) -> list[tuple[Path, Block]]:
        return [(path, b) for path, body in self.files.items() for b in body.blocks_of(block_type)]

    def variables(self) -> dict[str, bool]:
        """Declared variable -> whether it is required (no default)."""
        return {b.labels[0]: "default" not in b.body.attributes for _, b in self.blocks("variable") if b.labels}

    def outputs(self) -> set[str]:
        return {b.labels[0] for _, b in self.blocks("output") if b.labels}


def load_configuration(directory: Path) -> Configuration:
    config = Configuration(directory)
    for path in sorted(directory.glob("*.tf")):
        config.files[path] = parse_file(path)
    return config


def _is_local(source: str) -> bool:
    return source.startswith(("./", "../"))


def check_module_calls(config: Configuration) -> list[Finding]:
    findings: list[Finding] = []
    called: dict[str, Configuration | None] = {}
    for path, call in config.blocks("module"):
        name = call.labels[0] if call.labels else "?"
        where = f"module.{name}"
        source_attr = call.body.attributes.get("source")
        source = source_attr.literal if source_attr else None
        if source is None:
            findings.append(Finding(path, call.line, where, "source must be a literal string"))
            called[name] = None
            continue
        if not _is_local(source):
            called[name] = None  # a registry or git module: not on disk, not checked
            continue
        target = (config.directory / source).resolve()
        if not any(target.glob("*.tf")):
            findings.append(Finding(path, call.line, where, f"local module '{source}' has no .tf files"))
            called[name] = None
            continue
        callee = load_configuration(target)
        called[name] = callee
        declared = callee.variables()
        for arg, attr in call.body.attributes.items():
            if arg not in MODULE_META_ARGUMENTS and arg not in declared:
                findings.append(
                    Finding(path, attr.line, f"{where}.{arg}", f"module '{source}' declares no variable '{arg}'")
                )
        for block in call.body.blocks:
            findings.append(
                Finding(path, block.line, f"{where}.{block.type}", "a module call takes arguments, not blocks")
            )
        for var, required in sorted(declared.items()):
            if required and var not in call.body.attributes:
                findings.append(Finding(path, call.line, where, f"required variable '{var}' of '{source}' not passed"))

    for path, body in config.files.items():
        for ref_line, module, output, where in _module_refs(body):
            if module not in called:
                findings.append(Finding(path, ref_line, where, f'module.{module}.{output}: no module "{module}" here'))
            elif (target_config := called[module]) is not None and output not in target_config.outputs():
                findings.append(
                    Finding(
                        path, ref_line, where, f"module.{module}.{output}: module \"{module}\" has no output '{output}'"
                    )
                )
    return findings


def _module_refs(body: Body, trail: str = "") -> list[tuple[int, str, str, str]]:
    refs = []
    for attr in body.attributes.values():
        for ref in attr.module_refs:
            refs.append((ref.line, ref.module, ref.output, f"{trail}{attr.name}".lstrip(".")))
    for block in body.blocks:
        label = ".".join([block.type, *block.labels])
        refs.extend(_module_refs(block.body, f"{trail}{label}."))
    return refs
