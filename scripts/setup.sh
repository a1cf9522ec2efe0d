#!/usr/bin/env bash
# Creates .venv and installs the tracker into it. Usage: scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages (as root, or through sudo).
apt_install() {
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
extras=""
if [ "${1:-}" = "--test" ]; then
  extras="[test]"
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"

# The influence maps draw with Cytoscape.js from npm (package.json, package-lock.json); the
# files the pages load are copied into tracker/static/vendor/, which git ignores.
if [ -f package.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing Debian's nodejs and npm for the influence maps' browser libraries..."
    apt_install nodejs npm || {
      echo "setup: npm is missing and could not be installed. Install Node.js 18 or later with" >&2
      echo "setup: npm, then run scripts/setup.sh again: the influence maps need its libraries." >&2
      exit 1
    }
  fi
  lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -d node_modules ] || [ "$(cat node_modules/.tracker-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_hash" > node_modules/.tracker-lock-hash
  fi
  mkdir -p tracker/static/vendor
  cp node_modules/cytoscape/dist/cytoscape.min.js tracker/static/vendor/cytoscape.min.js
  cp node_modules/cytoscape/LICENSE tracker/static/vendor/cytoscape.LICENSE
  cp node_modules/cytoscape-svg/cytoscape-svg.js tracker/static/vendor/cytoscape-svg.js
  cp node_modules/cytoscape-svg/LICENSE tracker/static/vendor/cytoscape-svg.LICENSE
fi

if [ "${1:-}" = "--test" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  apt_install chromium
fi
