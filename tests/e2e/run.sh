#!/bin/sh
# Browser tests: installs playwright-core when needed, then runs every *.test.mjs
# against the real binary (PANEL_BIN, default build/image-panel) and web/build.
# Exits non-zero when a test fails. Screenshots land in tests/e2e/artifacts/.
set -eu
cd "$(dirname "$0")"

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund
fi

repo=$(cd ../.. && pwd)
bin=${PANEL_BIN:-$repo/build/image-panel}
if [ ! -x "$bin" ]; then
	echo "run.sh: panel binary not found at $bin (build it, or set PANEL_BIN)" >&2
	exit 2
fi
if [ ! -f "$repo/web/build/index.html" ]; then
	echo "run.sh: web build missing; run: npm --prefix web ci && npm --prefix web run build" >&2
	exit 2
fi

exec node --test --test-concurrency=1 ./*.test.mjs
