#!/usr/bin/env bash
# The whole pipeline once, locally: local AWS, topology, the three services, the bundled
# sample shop (unless URL is given), one job through the HTTP API (POST /v1/jobs, all three
# formats), the images downloaded through their presigned URLs into out/, the job's JSON
# printed; then everything stops again.
#   scripts/demo.sh [URL]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
cd "$ROOT"
URL="${1:-${URL:-}}"
export API_PORT="${API_PORT:-8000}"
DEMO_TENANT="demo"
DEMO_KEY="${DEMO_API_KEY:-ps_demo_local_key}"
SITE_PID=""

cleanup() {
  scripts/services.sh stop || true
  [[ -n "$SITE_PID" ]] && kill "$SITE_PID" 2>/dev/null || true
  scripts/local_aws.sh stop || true
}
trap cleanup EXIT

scripts/setup.sh
scripts/local_aws.sh start
set -a; . "$RUN_DIR/aws.env"; set +a
.venv/bin/python -m infra.bootstrap --api-key "$DEMO_TENANT:$DEMO_KEY" | tail -n 1

if [[ -z "$URL" ]]; then
  .venv/bin/python -m localdev.sample_site --port 0 > "$RUN_DIR/sample_site.log" 2>&1 &
  SITE_PID=$!
  for ((i = 0; i < 100; i++)); do grep -q '^SAMPLE_SITE_URL=' "$RUN_DIR/sample_site.log" 2>/dev/null && break; sleep 0.1; done
  URL="$(sed -n 's/^SAMPLE_SITE_URL=//p' "$RUN_DIR/sample_site.log" | head -n1)/product"
fi

scripts/services.sh start
echo "API key (tenant $DEMO_TENANT): $DEMO_KEY"
.venv/bin/python -m localdev.demo_client --api "http://127.0.0.1:$API_PORT" --url "$URL" --out out \
  --api-key "$DEMO_KEY"
