#!/usr/bin/env bash
# Creates .venv and installs the project (with the given extras) when anything changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=".venv/.installed${extras:+-$extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installerar Python-paket i .venv ..."
  if ! { .venv/bin/pip install -q --upgrade pip && .venv/bin/pip install -q -e ".${extras:+[$extras]}"; } > .venv/pip.log 2>&1; then
    cat .venv/pip.log
    exit 1
  fi
  touch "$stamp"
fi
