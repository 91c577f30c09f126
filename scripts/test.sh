#!/usr/bin/env bash
# Runs the whole test suite: lint first (ruff), then the tests on SQLite and on a PostgreSQL
# server started on 127.0.0.1 for the run, the two side by side. Installs what the tests need
# first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-tools.sh
bash scripts/venv.sh test

echo "=== Lint (ruff)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

mkdir -p test-artifacts
logs=test-artifacts/logs
mkdir -p "$logs"
run_suite() {  # $1: sqlite | postgresql; the rest go to pytest
  local db=$1
  shift
  DIALOG_TEST_DB=$db .venv/bin/pytest -p no:cacheprovider --basetemp="/tmp/dialog-pytest-$db" "$@" \
    >"$logs/pytest-$db.log" 2>&1
}
echo "=== Test suite on SQLite and on PostgreSQL (side by side; logs in $logs/)"
run_suite sqlite "$@" &
sqlite=$!
run_suite postgresql "$@" &
postgresql=$!
status=0
wait $sqlite || status=$?
wait $postgresql || status=$?
for db in sqlite postgresql; do
  echo "=== Test suite on $db"
  cat "$logs/pytest-$db.log"
done
exit $status
