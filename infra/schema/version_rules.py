"""required_version and the aws provider constraint, checked against what a configuration uses.

The Terraform version floor must cover the language features the directory (and its
``tests/*.tftest.hcl``) uses, and the aws provider constraint must admit the provider
release the schema describes and no other major version (the schema is only evidence
for the release it was built from).
"""

from __future__ import annotations

import re
from pathlib import Path

from infra.schema.hcl_tree import Body, parse_file
from infra.schema.module_rules import Configuration
from infra.schema.schema_rules import Finding

__all__ = ["check_versions", "constraint_admits", "minimum_version"]

Version = tuple[int, int, int]
_CLAUSE = re.compile(r"\s*(~>|>=|<=|!=|>|<|=)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*")
_FEATURES_IN_TESTS = {
    "mock_provider": ((1, 7, 0), "mock_provider in tests"),
    "override_resource": ((1, 7, 0), "override_resource in tests"),
    "override_data": ((1, 7, 0), "override_data in tests"),
    "override_module": ((1, 7, 0), "override_module in tests"),
}
_TOP_LEVEL_FEATURES = {
    "check": ((1, 5, 0), "check blocks"),
    "import": ((1, 5, 0), "import blocks"),
    "removed": ((1, 7, 0), "removed blocks"),
    "ephemeral": ((1, 10, 0), "ephemeral resources"),
}


def _parse(text: str) -> list[tuple[str, Version, int]]:
    clauses = []
    for part in text.split(","):
        match = _CLAUSE.fullmatch(part)
        if not match:
            raise ValueError(f"unreadable version constraint {text!r}")
        op, major, minor, patch = match.groups()
        given = 1 + (minor is not None) + (patch is not None)
        clauses.append((op or "=", (int(major), int(minor or 0), int(patch or 0)), given))
    return clauses


def constraint_admits(text: str, version: Version) -> bool:
    """Whether a Terraform version constraint string admits ``version``."""
    for op, bound, given in _parse(text):
        if op == "~>":
            upper = (bound[0] + 1, 0, 0) if given <= 2 else (bound[0], bound[1] + 1, 0)
            ok = bound <= version < upper
        else:
            ok = {
                "=": version == bound,
                "!=": version != bound,
                ">": version > bound,
                ">=": version >= bound,
                "<": version < bound,
                "<=": version <= bound,
            }[op]
        if not ok:
            return False
    return True


def minimum_version(text: str) -> Version | None:
    """The lowest version a constraint admits, when it has a lower bound."""
    lows = [bound for op, bound, _ in _parse(text) if op in {">=", "~>", "="}]
    return max(lows) if lows else None


def _needs(config: Configuration) -> list[tuple[Version, str]]:
    needs: list[tuple[Version, str]] = []
    for body in config.files.values():
        for block in body.blocks:
            if block.type in _TOP_LEVEL_FEATURES:
                needs.append(_TOP_LEVEL_FEATURES[block.type])
            if block.type == "terraform":
                for backend in block.body.blocks_of("backend"):
                    if "use_lockfile" in backend.body.attributes:
                        needs.append(((1, 10, 0), "the backend's use_lockfile"))
            if block.type == "variable":
                own = block.labels[0] if block.labels else ""
                for validation in block.body.blocks_of("validation"):
                    text = " ".join(a.text for a in validation.body.attributes.values())
                    others = {m for m in re.findall(r"\bvar\.(\w+)", text) if m != own}
                    if others or re.search(r"\b(local|data|module|aws_\w+)\.", text):
                        needs.append(((1, 9, 0), f"validation of var.{own} referring to other objects"))
        if any("provider::" in a.text for a in _all_attributes(body)):
            needs.append(((1, 8, 0), "provider-defined functions"))
    for _, call in config.blocks("module"):
        source = call.body.attributes.get("source")
        literal = source.literal if source else None
        if literal and literal.startswith(("./", "../")):
            floor = _declared_floor((config.directory / literal).resolve())
            if floor:
                needs.append((floor, f'module "{call.labels[0]}" ({literal}, which requires >= {_show(floor)})'))
    for test_file in sorted((config.directory / "tests").glob("*.tftest.hcl")):
        for block in parse_file(test_file).blocks:
            if block.type in _FEATURES_IN_TESTS:
                needs.append(_FEATURES_IN_TESTS[block.type])
    return needs


def _show(version: Version) -> str:
    return ".".join(map(str, version[:2]))


def _declared_floor(directory: Path) -> Version | None:
    """The lowest Terraform version a module directory's required_version admits."""
    floors = []
    for path in sorted(directory.glob("*.tf")):
        for block in parse_file(path).blocks_of("terraform"):
            attr = block.body.attributes.get("required_version")
            low = minimum_version(attr.literal) if attr and attr.literal else None
            if low:
                floors.append(low)
    return max(floors, default=None)


def _all_attributes(body: Body) -> list:  # type: ignore[type-arg]
    found = list(body.attributes.values())
    for block in body.blocks:
        found.extend(_all_attributes(block.body))
    return found


def check_versions(config: Configuration, provider_version: str) -> list[Finding]:
    findings: list[Finding] = []
    schema_version = tuple(int(p) for p in provider_version.split("."))
    terraform_blocks = config.blocks("terraform")
    needs = _needs(config)
    floor = max(needs, default=None)
    declared = [
        (p, b, b.body.attributes["required_version"])
        for p, b in terraform_blocks
        if "required_version" in b.body.attributes
    ]
    if floor and not declared:
        path = terraform_blocks[0][0] if terraform_blocks else config.directory / "versions.tf"
        findings.append(
            Finding(path, 1, "terraform", f"no required_version, but {floor[1]} needs Terraform >= {_show(floor[0])}")
        )
    for path, _block, attr in declared:
        low = minimum_version(attr.literal or "")
        if floor and (low is None or low < floor[0]):
            findings.append(
                Finding(
                    path,
                    attr.line,
                    "terraform.required_version",
                    f"{attr.literal!r} admits versions without {floor[1]} (needs >= {_show(floor[0])})",
                )
            )
    for path, block in terraform_blocks:
        for required in block.body.blocks_of("required_providers"):
            aws = required.body.attributes.get("aws")
            match = re.search(r'version\s*=\s*"([^"]+)"', aws.text) if aws else None
            if aws is None:
                continue
            if match is None:
                findings.append(Finding(path, aws.line, "required_providers.aws", "no version constraint"))
                continue
            constraint = match.group(1)
            if not constraint_admits(constraint, schema_version):  # type: ignore[arg-type]
                findings.append(
                    Finding(
                        path,
                        aws.line,
                        "required_providers.aws",
                        f"{constraint!r} excludes {provider_version}, the release the schema describes",
                    )
                )
            low = minimum_version(constraint)
            older = low is None or low < (schema_version[0], schema_version[1], 0)
            if older or constraint_admits(constraint, (schema_version[0] + 1, 0, 0)):
                findings.append(
                    Finding(
                        path,
                        aws.line,
                        "required_providers.aws",
                        f"{constraint!r} admits releases the schema ({provider_version}) does not describe: "
                        f"pin '~> {schema_version[0]}.{schema_version[1]}'",
                    )
                )
    return findings
