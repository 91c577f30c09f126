#!/usr/bin/env bash
# Creates or updates .venv with exactly the versions in uv.lock (the lock file), with the given
# extras ("test" for the test suite). Installs uv itself first when the machine lacks it.
# After changing dependencies in pyproject.toml: `make lock` (uv lock) and commit uv.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python=${PYTHON:-python3}
if ! "$python" -m uv --version >/dev/null 2>&1; then
  echo "Installerar uv (pakethanteraren som läser uv.lock) ..."
  "$python" -m pip install -q --disable-pip-version-check "uv>=0.5"
fi
export UV_PYTHON_DOWNLOADS=never  # use this machine's Python, never download one
args=(sync --frozen --quiet --python "$python")
if [ -n "$extras" ]; then
  args+=(--extra "$extras")
else
  args+=(--inexact)  # running the app must not remove the test tools a test run installed
fi
"$python" -m uv "${args[@]}"
