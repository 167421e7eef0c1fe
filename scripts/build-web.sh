#!/usr/bin/env bash
# Builds the web app into web/build; npm ci only when the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.package-lock.stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
# Rebuild only when a source is newer than the last build.
if [ ! -f build/index.html ] || [ -n "$(find src static package.json svelte.config.js vite.config.ts -newer build/index.html -print -quit 2>/dev/null)" ]; then
  npm run build --silent
fi
