#!/usr/bin/env bash
# The local AWS the project runs on: LocalStack (SQS, S3, EventBridge, SSM, STS) and
# moto's server (DynamoDB) as host processes, or LocalStack's container where a Docker
# engine runs (it then serves DynamoDB too).
#
#   scripts/local_aws.sh install   create .localstack/venv (Python >= 3.12) if missing
#   scripts/local_aws.sh start     idempotent; waits for health; writes .run/aws.env
#   scripts/local_aws.sh stop      stops what start started (and waits until it is gone)
#   scripts/local_aws.sh status    prints what runs
#   scripts/local_aws.sh env       prints the AWS_* variables to export
#
# Ports: LOCALSTACK_PORT (4566), MOTO_PORT (4567). State, logs, pids: $RUN_DIR (.run/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
LS_VENV="$ROOT/.localstack/venv"
LOCALSTACK_PORT="${LOCALSTACK_PORT:-4566}"
MOTO_PORT="${MOTO_PORT:-4567}"
LS_PINS=('localstack-core[runtime]==2026.3.0' 'cbor2<5.7' 'pyopenssl<25' 'service_identity' 'flask' 'flask-cors')
mkdir -p "$RUN_DIR"

log() { printf '[local-aws] %s\n' "$*" >&2; }

docker_engine() { [[ "${LOCAL_AWS_MODE:-auto}" != host ]] && command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

find_python312() {
  local v bare
  for v in 3.13 3.12 3.14; do
    if command -v pyenv >/dev/null 2>&1; then
      bare="$(pyenv versions --bare 2>/dev/null | grep -E "^${v//./\\.}(\.[0-9]+)?$" | tail -1 || true)"
      if [[ -n "$bare" ]] && PYENV_VERSION="$bare" "python$v" -c 'import sys' >/dev/null 2>&1; then
        echo "env PYENV_VERSION=$bare python$v"; return 0
      fi
    fi
    if command -v "python$v" >/dev/null 2>&1 && "python$v" -c 'import sys' >/dev/null 2>&1; then
      echo "python$v"; return 0
    fi
  done
  return 1
}

install() {
  local stamp="$LS_VENV/.pins" want
  want="$(printf '%s\n' "${LS_PINS[@]}")"
  if [[ -x "$LS_VENV/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return 0; fi
  local py
  py="$(find_python312)" || { log "LocalStack needs Python >= 3.12 and none was found (pyenv or python3.12/3.13 on PATH)"; exit 1; }
  log "creating $LS_VENV with $py (about a minute, once)"
  rm -rf "$LS_VENV"
  $py -m venv "$LS_VENV"
  "$LS_VENV/bin/pip" install -q --disable-pip-version-check "${LS_PINS[@]}" 2>&1 | grep -v '^WARNING: Location' || true
  "$LS_VENV/bin/python" -c 'import localstack, moto' 
  echo "$want" > "$stamp"
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
http_ok() { curl -fs -o /dev/null --max-time 2 "$1"; }
# Any HTTP answer will do (moto's data dump grows with every job; asking for it gets slow).
http_answers() { [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1")" != 000 ]]; }

wait_for() { # url seconds name [check]
  local i check="${4:-http_ok}"
  for ((i = 0; i < $2 * 5; i++)); do "$check" "$1" && return 0; sleep 0.2; done
  log "$3 did not answer on $1 within $2 s; its log:"; tail -n 40 "$RUN_DIR/$3.log" >&2 || true; return 1
}

write_env() {
  local dynamo="http://127.0.0.1:$MOTO_PORT"
  docker_engine && [[ -f "$RUN_DIR/localstack.docker" ]] && dynamo="http://127.0.0.1:$LOCALSTACK_PORT"
  cat > "$RUN_DIR/aws.env" <<ENV
AWS_ENDPOINT_URL=http://127.0.0.1:$LOCALSTACK_PORT
AWS_ENDPOINT_URL_DYNAMODB=$dynamo
AWS_REGION=us-east-1
AWS_DEFAULT_REGION=us-east-1
AWS_ACCESS_KEY_ID=test
AWS_SECRET_ACCESS_KEY=test
ENV
}

start_host() {
  install
  if ! alive "$RUN_DIR/localstack.pid"; then
    log "starting LocalStack on 127.0.0.1:$LOCALSTACK_PORT"
    GATEWAY_LISTEN="127.0.0.1:$LOCALSTACK_PORT" LOCALSTACK_VOLUME_DIR="$RUN_DIR/localstack-volume" \
      DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 DNS_ADDRESS=0 SERVICES=sqs,s3,events,ssm,sts,iam,secretsmanager \
      setsid "$LS_VENV/bin/python" -m localstack.runtime.main > "$RUN_DIR/localstack.log" 2>&1 < /dev/null &
    echo $! > "$RUN_DIR/localstack.pid"
  fi
  if ! alive "$RUN_DIR/moto.pid"; then
    log "starting moto (DynamoDB) on 127.0.0.1:$MOTO_PORT"
    # One request at a time: moto's threaded server is not atomic for conditional writes.
    setsid "$LS_VENV/bin/python" "$ROOT/localdev/atomic_moto.py" "$MOTO_PORT" \
      > "$RUN_DIR/moto.log" 2>&1 < /dev/null &
    echo $! > "$RUN_DIR/moto.pid"
  fi
  wait_for "http://127.0.0.1:$LOCALSTACK_PORT/_localstack/health" 90 localstack
  wait_for "http://127.0.0.1:$MOTO_PORT/" 30 moto http_answers
}

start_docker() {
  log "Docker engine found: starting LocalStack's container (docker/compose.localstack.yaml)"
  LOCALSTACK_PORT="$LOCALSTACK_PORT" docker compose -f "$ROOT/docker/compose.localstack.yaml" up -d
  touch "$RUN_DIR/localstack.docker"
  wait_for "http://127.0.0.1:$LOCALSTACK_PORT/_localstack/health" 120 localstack
}

stop_pid() { # pidfile name
  local pidfile="$1" pid i
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $2 (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  install) install ;;
  start)
    if docker_engine; then start_docker; else start_host; fi
    write_env
    log "ready: $(tr '\n' ' ' < "$RUN_DIR/aws.env")"
    ;;
  stop)
    if [[ -f "$RUN_DIR/localstack.docker" ]]; then
      docker compose -f "$ROOT/docker/compose.localstack.yaml" down -v || true
      rm -f "$RUN_DIR/localstack.docker"
    fi
    stop_pid "$RUN_DIR/localstack.pid" localstack
    stop_pid "$RUN_DIR/moto.pid" moto
    ;;
  status)
    alive "$RUN_DIR/localstack.pid" && echo "localstack: running (pid $(cat "$RUN_DIR/localstack.pid"))" || echo "localstack: stopped"
    alive "$RUN_DIR/moto.pid" && echo "moto: running (pid $(cat "$RUN_DIR/moto.pid"))" || echo "moto: stopped"
    ;;
  env) write_env; sed 's/^/export /' "$RUN_DIR/aws.env" ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
