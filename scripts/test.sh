#!/usr/bin/env bash
# Installs everything, then runs every check: typecheck, lint, unit and integration tests, the web
# build, the Playwright tests and a smoke run of the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser
export PATH="$PWD/.tools/bin:$PATH"
step() { printf '\n\033[1m» %s\033[0m\n' "$*"; }
step typecheck; pnpm -s typecheck
step lint; pnpm -s lint
step "unit and integration tests"; pnpm -s test:unit
step "web build"; pnpm -s build
step "browser tests"; pnpm -s test:e2e
step "benchmarks (smoke)"; pnpm -s bench --smoke --json
echo
echo "all checks passed"
