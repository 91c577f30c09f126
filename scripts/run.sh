#!/usr/bin/env bash
# Runs the app on http://127.0.0.1:5000 with SQLite, demo data and mail written as .eml files
# under instance/. Creates the environment and migrates the database on the way.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh
export FLASK_APP=app
.venv/bin/flask setup
echo "Öppna http://127.0.0.1:5000 i webbläsaren."
exec .venv/bin/flask run --host "${DIALOG_HOST:-127.0.0.1}" --port "${DIALOG_PORT:-5000}"
