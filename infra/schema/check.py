"""Offline validation of Terraform against the AWS provider schema (``make tf-check``).

    python -m infra.schema.check infra/terraform [more dirs...]

Every directory under the given ones that holds .tf files is checked as a configuration
(a root, a module, an example): resource, data source and provider blocks against the
schema (schema_rules), module calls and ``module.X.Y`` references (module_rules), the
Terraform and provider version constraints (version_rules), and the resource types
``mock_resource``/``mock_data`` name in ``tests/*.tftest.hcl``. Prints one line per
finding (``file:line: address: message``) and exits 1 when there is any.

What it cannot see: values (types, enums, ARNs, conflicts between arguments), anything an
expression computes, and whatever the provider checks at plan or apply time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from infra.schema.hcl_tree import parse_file
from infra.schema.module_rules import Configuration, check_module_calls, load_configuration
from infra.schema.schema_rules import SCHEMA_PATH, Finding, check_schema_block, load_schema
from infra.schema.version_rules import check_versions

__all__ = ["check_configuration", "check_paths", "configuration_dirs", "main"]


def configuration_dirs(root: Path) -> list[Path]:
    """``root`` and every directory below it that holds .tf files (no .terraform caches)."""
    dirs = {p.parent for p in root.rglob("*.tf") if ".terraform" not in p.parts}
    return sorted(dirs)


def _other_providers(config: Configuration) -> set[str]:
    """Local names of the non-aws providers a configuration requires (their types are not checked)."""
    names: set[str] = set()
    for _, block in config.blocks("terraform"):
        for required in block.body.blocks_of("required_providers"):
            names |= {n for n in required.body.attributes if n != "aws"}
    return names


def check_configuration(config: Configuration) -> list[Finding]:
    schema = load_schema()
    findings: list[Finding] = []
    others = _other_providers(config)
    for path, body in config.files.items():
        blocks = list(body.blocks)
        for check in body.blocks_of("check"):  # scoped data sources live inside check blocks
            blocks.extend(check.body.blocks_of("data"))
        for block in blocks:
            if block.type == "provider":
                if block.labels == ["aws"]:
                    findings += check_schema_block(path, block, schema)
            elif block.type in {"resource", "data"} and block.labels:
                if block.labels[0].split("_", 1)[0] in others:
                    continue
                findings += check_schema_block(path, block, schema)
    findings += check_module_calls(config)
    findings += check_versions(config, schema["provider_version"])
    findings += _check_test_mocks(config, schema)
    return findings


def _check_test_mocks(config: Configuration, schema: dict) -> list[Finding]:  # type: ignore[type-arg]
    findings = []
    for test_file in sorted((config.directory / "tests").glob("*.tftest.hcl")):
        for block in parse_file(test_file).blocks:
            for mock in block.body.blocks if block.type == "mock_provider" else [block]:
                table = {"mock_resource": schema["resources"], "mock_data": schema["data_sources"]}.get(mock.type)
                if table is not None and mock.labels and mock.labels[0] not in table:
                    findings.append(
                        Finding(
                            test_file, mock.line, f"{mock.type}.{mock.labels[0]}", "unknown type in the provider schema"
                        )
                    )
    return findings


def check_paths(paths: list[Path]) -> tuple[list[Finding], int]:
    """All findings under ``paths`` and the number of configurations checked."""
    findings: list[Finding] = []
    dirs = [d for root in paths for d in configuration_dirs(root)]
    for directory in dirs:
        try:
            config = load_configuration(directory)
        except Exception as exc:  # a parse error of any type is a finding, not a crash
            findings.append(Finding(directory, 0, "parse", f"{type(exc).__name__}: {exc}"))
            continue
        findings += check_configuration(config)
    return findings, len(dirs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, help="Terraform directories (searched recursively)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    findings, count = check_paths(args.paths)
    schema = load_schema()
    for finding in sorted(findings, key=lambda f: (str(f.path), f.line, f.where)):
        print(finding)
    print(
        f"{count} configurations checked against hashicorp/aws {schema['provider_version']} "
        f"({SCHEMA_PATH.name}, from {schema['built_from']}): {len(findings)} findings "
        f"in {time.perf_counter() - started:.1f}s"
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
