#!/usr/bin/env bash
# Run the services (api, scraper, renderer, sweeper, batcher) in the background under honcho (Procfile.local).
#   scripts/services.sh start | stop | logs | status
# Environment: .run/aws.env (written by scripts/local_aws.sh) plus .run/services.env.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
API_PORT="${API_PORT:-8000}"
mkdir -p "$RUN_DIR"
cd "$ROOT"

alive() { [[ -f "$RUN_DIR/services.pid" ]] && kill -0 "$(cat "$RUN_DIR/services.pid")" 2>/dev/null; }

case "${1:-}" in
  start)
    if alive; then echo "services already running (pid $(cat "$RUN_DIR/services.pid"))" >&2; exit 0; fi
    {
      cat "$RUN_DIR/aws.env"
      echo "API_PORT=$API_PORT"
      echo "PRODUCTSHOT_LOG_FORMAT=${PRODUCTSHOT_LOG_FORMAT:-json}"
      # The local run's own sample shop and image server live on loopback.
      echo "FETCH_ALLOW_NETWORKS=${FETCH_ALLOW_NETWORKS:-${SCRAPER_ALLOW_NETWORKS:-127.0.0.0/8}}"
      [[ -n "${OPENAI_API_KEY:-}" ]] && echo "RENDERER_OPENAI_API_KEY=$OPENAI_API_KEY"
      [[ -n "${RENDERER_OPENAI_BASE_URL:-}" ]] && echo "RENDERER_OPENAI_BASE_URL=$RENDERER_OPENAI_BASE_URL"
      [[ -n "${API_KEYS_DISABLED:-}" ]] && echo "API_AUTH_DISABLED=$API_KEYS_DISABLED"
      # Keyless seed calls (old local clients): API_SEED_REQUIRE_KEY=false, honoured on loopback only.
      [[ -n "${API_SEED_REQUIRE_KEY:-}" ]] && echo "API_SEED_REQUIRE_KEY=$API_SEED_REQUIRE_KEY"
      true
    } > "$RUN_DIR/services.env"
    setsid .venv/bin/honcho -f Procfile.local -e "$RUN_DIR/services.env" start \
      > "$RUN_DIR/services.log" 2>&1 < /dev/null &
    echo $! > "$RUN_DIR/services.pid"
    for ((i = 0; i < 150; i++)); do
      curl -fs -o /dev/null "http://127.0.0.1:$API_PORT/healthz" && break
      alive || { echo "services exited; log:" >&2; tail -n 40 "$RUN_DIR/services.log" >&2; exit 1; }
      sleep 0.2
    done
    curl -fs -o /dev/null "http://127.0.0.1:$API_PORT/healthz" || { tail -n 40 "$RUN_DIR/services.log" >&2; exit 1; }
    echo "API: http://127.0.0.1:$API_PORT"
    ;;
  stop)
    if alive; then
      pid="$(cat "$RUN_DIR/services.pid")"
      kill -TERM "$pid" 2>/dev/null || true   # honcho forwards SIGTERM to every service
      for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$RUN_DIR/services.pid"
    ;;
  logs) exec tail -n 100 -F "$RUN_DIR/services.log" ;;
  status) alive && echo "services: running (pid $(cat "$RUN_DIR/services.pid"))" || echo "services: stopped" ;;
  *) sed -n '2,4p' "$0"; exit 2 ;;
esac
