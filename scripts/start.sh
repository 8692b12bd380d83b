#!/usr/bin/env bash
# Installs everything, builds the web app and serves app + API on one port (default 4317).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export PATH="$PWD/.tools/bin:$PATH"
pnpm -s build
exec pnpm -s serve
