#!/usr/bin/env bash
# Installs what a fresh machine with only Node 20 and npm lacks: pnpm, the workspace packages
# (better-sqlite3 builds from source here) and, with --browser, Debian's chromium for Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.21.0
export PATH="$PWD/.tools/bin:$PATH"

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "» installing pnpm $PNPM_VERSION"
  if ! npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    # No write access to the global prefix: keep pnpm inside the repository instead.
    npm install --prefix "$PWD/.tools" -g "pnpm@$PNPM_VERSION" >/dev/null
  fi
  hash -r
fi

# better-sqlite3 has no reachable prebuilt binary here; node-gyp builds it against the local headers.
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; fi
fi

if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ] || ! node -e "require('./server/node_modules/better-sqlite3')" >/dev/null 2>&1; then
  echo "» installing packages (the first time this compiles better-sqlite3, ~2 minutes)"
  CI=true pnpm install --frozen-lockfile --reporter=append-only 2>&1 | grep -vE '^\s*$|install: (CC|CXX|SOLINK|COPY|ACTION|TOUCH|rm )|gyp info' || true
  node -e "require('./server/node_modules/better-sqlite3')" || { echo "better-sqlite3 did not build: see the output above" >&2; exit 1; }
fi

if [ "${1:-}" = "--browser" ]; then
  if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    echo "» installing Debian's chromium for the browser tests"
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
fi
