#!/usr/bin/env bash
# Installs what the tests need (Python packages, Debian chromium), lints, runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
