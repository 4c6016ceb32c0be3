"""The offline schema checker (infra/schema): module calls, module outputs, version constraints.

Known-good and known-bad snippets in a temporary directory, and the committed schema
against the pins in every versions.tf.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infra.schema.schema_rules import load_schema
from infra.schema.version_rules import constraint_admits
from tests.infra.hcl import TF_ROOT, load, module_dirs, unquote
from tests.infra.schema_snippets import VERSIONS, run

MODULE = {
    "modules/q/main.tf": 'resource "aws_sqs_queue" "this" {\n  name = var.name\n}\n',
    "modules/q/variables.tf": (
        'variable "name" {\n  type = string\n}\nvariable "delay" {\n  type    = number\n  default = 0\n}\n'
    ),
    "modules/q/outputs.tf": 'output "arn" {\n  value = aws_sqs_queue.this.arn\n}\n',
    "modules/q/versions.tf": VERSIONS,
}


def test_a_correct_module_call_and_its_output_references_pass(tmp_path: Path) -> None:
    """Declared arguments, the required variable passed, existing outputs referenced (in strings, indexed)."""
    main = (
        'module "q" {\n  source   = "./modules/q"\n  for_each = toset(["a"])\n  name     = each.key\n}\n'
        'output "arn" {\n  value = "queue ${module.q["a"].arn}"\n}\n'
    )
    assert run(tmp_path, {**MODULE, "main.tf": main}) == []


@pytest.mark.parametrize(
    ("main", "expected"),
    [
        (
            'module "q" {\n  source = "./modules/q"\n  name   = "n"\n  dealy  = 5\n}\n',
            "main.tf:4: module.q.dealy: module './modules/q' declares no variable 'dealy'",
        ),
        (
            'module "q" {\n  source = "./modules/q"\n  delay  = 5\n}\n',
            "module.q: required variable 'name' of './modules/q' not passed",
        ),
        (
            'module "q" {\n  source = "./modules/q"\n  name   = "n"\n}\noutput "x" {\n  value = module.q.url\n}\n',
            "main.tf:6: output.x.value: module.q.url: module \"q\" has no output 'url'",
        ),
        (
            'module "q" {\n  source = "./modules/q"\n  name   = "n"\n}\n'
            'resource "aws_sqs_queue" "x" {\n  policy = "${module.q.policy}"\n}\n',
            "module \"q\" has no output 'policy'",
        ),
        ('output "x" {\n  value = module.nope.arn\n}\n', 'module.nope.arn: no module "nope" here'),
    ],
    ids=[
        "undeclared-argument",
        "required-variable-missing",
        "unknown-output",
        "unknown-output-in-string",
        "unknown-module",
    ],
)
def test_module_call_errors_are_reported(tmp_path: Path, main: str, expected: str) -> None:
    """Arguments a local module does not declare, required variables not passed, references to missing outputs."""
    found = run(tmp_path, {**MODULE, "main.tf": main})
    assert any(expected in f for f in found), found


def test_module_references_in_comments_and_plain_strings_are_not_references(tmp_path: Path) -> None:
    """module.x.y inside a comment or a string literal's text is not an expression."""
    main = 'output "x" {\n  # module.gone.arn was removed\n  value = "see module.gone.arn in the docs"\n}\n'
    assert run(tmp_path, {"main.tf": main}) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"versions.tf": VERSIONS.replace(">= 1.10", ">= 1.6"), "tests/a.tftest.hcl": 'mock_provider "aws" {}\n'},
            "required_version: '>= 1.6' admits versions without mock_provider in tests (needs >= 1.7)",
        ),
        (
            {
                "versions.tf": VERSIONS.replace(">= 1.10", ">= 1.7"),
                "backend.tf": 'terraform {\n  backend "s3" {\n    use_lockfile = true\n  }\n}\n',
            },
            "needs >= 1.10",
        ),
        (
            {"versions.tf": VERSIONS.replace("~> 6.25", ">= 5.70, < 7.0")},
            "'>= 5.70, < 7.0' admits releases the schema (6.25.0) does not describe",
        ),
        ({"versions.tf": VERSIONS.replace("~> 6.25", "~> 7.0")}, "'~> 7.0' excludes 6.25.0"),
        (
            {"tests/a.tftest.hcl": 'mock_provider "aws" {\n  mock_resource "aws_sqs_qeueu" {\n  }\n}\n'},
            "tests/a.tftest.hcl:2: mock_resource.aws_sqs_qeueu: unknown type",
        ),
    ],
    ids=[
        "mock-provider-needs-1.7",
        "use-lockfile-needs-1.10",
        "pin-admits-5.x-and-older-6.x",
        "pin-excludes-schema",
        "unknown-mock-type",
    ],
)
def test_version_constraints_are_checked_against_what_the_code_uses(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    """required_version covers the features used; the aws pin admits the schema's release and no other major."""
    found = run(tmp_path, {"main.tf": 'resource "aws_sqs_queue" "q" {}\n', **files})
    assert any(expected in f for f in found), found


def test_the_committed_schema_is_the_release_versions_tf_pins() -> None:
    """infra/schema/aws_provider_schema.json.gz describes a release every versions.tf pin admits, as ~> major.minor."""
    schema = load_schema()
    version = tuple(int(p) for p in schema["provider_version"].split("."))
    assert schema["built_from"] == "@cdktf/provider-aws@21.22.1" and schema["provider_version"] == "6.25.0"
    for directory in module_dirs():
        (terraform,) = load(directory / "versions.tf")["terraform"]
        pin = unquote(terraform["required_providers"][0]["aws"]["version"])
        assert pin == f"~> {version[0]}.{version[1]}", (directory, pin)
        assert constraint_admits(pin, version)  # type: ignore[arg-type]
    assert re.search(r'version\s*=\s*"~> 6\.25"', (TF_ROOT / "versions.tf").read_text(encoding="utf-8"))
