#!/usr/bin/env bash
# Install everything the project needs on a fresh machine; quick no-op when nothing changed.
#   .venv/            Python 3.11 with requirements-dev.txt pinned by constraints.txt
#   system packages   tesseract-ocr (+ Arabic, Hebrew, Russian, Greek data: the renderer's text read-back, OCR tests),
#                     chromium (the web app's browser tests, driven by Playwright) and the libraries in SYSTEM_PACKAGES
#   .localstack/venv  LocalStack + moto in their own Python >= 3.12 (scripts/local_aws.sh install)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
SYSTEM_PACKAGES=(tesseract-ocr tesseract-ocr-ara tesseract-ocr-heb tesseract-ocr-rus tesseract-ocr-ell libraqm0 curl chromium)

log() { printf '[setup] %s\n' "$*" >&2; }

stamp_of() { cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -d' ' -f1; }

if [[ ! -x .venv/bin/python || ! -f .venv/.stamp || "$(cat .venv/.stamp)" != "$(stamp_of)" ]]; then
  log "installing Python dependencies into .venv"
  [[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt 2>&1 \
    | grep -v '^WARNING: Location' || true
  .venv/bin/python -c 'import services, aiobotocore, starlette, PIL' 
  stamp_of > .venv/.stamp
fi

# The productshot command (pyproject's [project.scripts] entry, without building the project
# as a package): a launcher in .venv/bin that runs the CLI from this checkout.
cat > .venv/bin/productshot <<LAUNCHER
#!/bin/sh
PYTHONPATH="$PWD\${PYTHONPATH:+:\$PYTHONPATH}" exec "$PWD/.venv/bin/python" -m services.cli.app "\$@"
LAUNCHER
chmod +x .venv/bin/productshot

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "missing system packages (install them as root): ${missing[*]}"
  fi
fi

if ! (command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1); then
  scripts/local_aws.sh install
fi
