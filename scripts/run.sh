#!/usr/bin/env bash
# Runs the app on http://127.0.0.1:5000 with SQLite, demo data and mail written as .eml files
# under instance/mail. Creates the environment and migrates the database on the way, and runs
# the outbox worker beside the web server (it delivers mail and sends reminders) and, when the
# organiser mailbox is configured (DIALOG_IMAP_HOST), the reader of the calendars' own answers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh
export FLASK_APP=app
.venv/bin/flask setup
.venv/bin/flask outbox work --interval 5 > "${DIALOG_INSTANCE_PATH:-instance}/outbox-worker.log" 2>&1 &
worker=$!
reader=""
if [ -n "${DIALOG_IMAP_HOST:-}" ]; then
  .venv/bin/flask inbox work --interval "${DIALOG_IMAP_INTERVAL:-30}" > "${DIALOG_INSTANCE_PATH:-instance}/inbox-reader.log" 2>&1 &
  reader=$!
  echo "Kalendersvaren läses från ${DIALOG_IMAP_HOST}; läsaren loggar till instance/inbox-reader.log."
fi
trap 'kill $worker $reader 2>/dev/null || true' EXIT INT TERM
echo "Öppna http://127.0.0.1:5000 i webbläsaren. Utkorgens arbetare loggar till instance/outbox-worker.log."
.venv/bin/flask run --host "${DIALOG_HOST:-127.0.0.1}" --port "${DIALOG_PORT:-5000}"
