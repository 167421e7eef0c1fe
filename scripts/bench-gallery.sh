#!/usr/bin/env bash
# Gallery benchmark (issue 5): /api/gallery on 100,000 generated rows (p50/p99,
# req/s at 32 connections with wrk), /api/image against nginx serving the same
# files, /api/gallery against a FastAPI app running the same SQL, and the
# panel's extra memory while 1 GiB of images leaves as a ZIP (download-all and
# a tracked export job). See bench/gallery/README.md.
#
# Usage: scripts/bench-gallery.sh [--phase listing|export] [--duration S] ...  (run_bench.py --help)
# Env:   BUILD_DIR (default: build), PANEL_BIN / EXPORT_PANEL_BIN (use these
#        binaries instead of building), BENCH_WORKDIR (default:
#        /tmp/panel-bench-gallery; generated galleries are kept and reused),
#        GALLERY_BENCH_QUICK=1 (3 s per scenario, 256 MiB export: a smoke run)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${BUILD_DIR:-$root/build}")
bash "$root/scripts/setup-deps.sh" --bench
if [ -z "${PANEL_BIN:-}" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja >/dev/null
  fi
  cmake --build "$build" --target image-panel -j "${BUILD_JOBS:-2}" >/dev/null
fi
panel=${PANEL_BIN:-$build/image-panel}
exec /usr/bin/python3 "$root/bench/gallery/run_bench.py" --panel "$panel" \
  --export-panel "${EXPORT_PANEL_BIN:-$panel}" --workdir "${BENCH_WORKDIR:-/tmp/panel-bench-gallery}" "$@"
