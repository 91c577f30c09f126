#!/usr/bin/env bash
# Runs the whole test suite: once on SQLite and once on a PostgreSQL server started on
# 127.0.0.1 for the run. Installs what the tests need first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-tools.sh
bash scripts/venv.sh test
mkdir -p test-artifacts
status=0
echo "=== Test suite on SQLite"
DIALOG_TEST_DB=sqlite .venv/bin/pytest "$@" || status=$?
echo "=== Test suite on PostgreSQL"
DIALOG_TEST_DB=postgresql .venv/bin/pytest "$@" || status=$?
exit $status
