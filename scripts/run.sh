#!/usr/bin/env bash
# Installs everything, loads the demonstration network and serves http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/tracker demo
exec .venv/bin/tracker run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
