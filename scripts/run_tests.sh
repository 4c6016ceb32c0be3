#!/usr/bin/env bash
# Every test, with whatever it needs started and stopped around it.
#   scripts/run_tests.sh [all|unit|integration|faults] [pytest args...]
# unit: no AWS needed; integration: LocalStack + moto started here (and stopped after,
# unless they were already running); all also runs ruff, mypy and scripts/tf_check.sh. pytest's "no tests collected" (exit 5) is a failure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
cd "$ROOT"
SUITE="${1:-all}"; shift || true

scripts/setup.sh || exit 1

started_aws=0
if [[ "$SUITE" != unit ]]; then
  # Captured first: `status | grep -q` fails under pipefail when grep exits early (SIGPIPE),
  # which would take a running local AWS for a stopped one and stop it afterwards.
  aws_status="$(scripts/local_aws.sh status)"
  if [[ "$aws_status" != *"localstack: running"* ]]; then started_aws=1; fi
  scripts/local_aws.sh start || exit 1
  trap '[[ $started_aws == 1 ]] && scripts/local_aws.sh stop' EXIT
fi

if [[ "$SUITE" == all ]]; then
  echo "== ruff, mypy"
  .venv/bin/ruff check services infra localdev tests bench || exit 1
  .venv/bin/mypy services || exit 1
  # Terraform fmt + checkov + the HCL structure tests; also creates .venv-infra, which the
  # topology drift tests in the main run need.
  bash scripts/tf_check.sh || exit 1
fi

case "$SUITE" in
  unit) args=(tests --ignore=tests/integration) ;;
  integration) args=(tests/integration) ;;
  faults) args=(tests/integration/faults) ;;
  all) args=(tests) ;;
  *) echo "unknown suite $SUITE (all|unit|integration|faults)" >&2; exit 2 ;;
esac

.venv/bin/python -m pytest "${args[@]}" -p no:cacheprovider -q -rs --timeout=600 --durations=25 "$@"
rc=$?
if [[ $rc == 5 ]]; then
  echo "pytest collected no tests for '$SUITE': that is a failure here" >&2
  exit 1
fi
exit $rc
