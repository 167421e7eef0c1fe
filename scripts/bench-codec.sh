#!/usr/bin/env bash
# Codec benchmark (issue 3): thumbnails/s and peak memory of our codec, Pillow
# and vipsthumbnail on the same 50 generated inputs (1024^2 and 2048^2, PNG and
# JPEG), printed as a table with ratios. See docs/codecs.md.
#
# Usage: scripts/bench-codec.sh [--repeat N] [--workers N] [--count N] [--methods 4,2]
# Env:   BUILD_DIR (default: build), BENCH_WORKDIR (default: /tmp/panel-bench-codec)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${BUILD_DIR:-$root/build}")
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja >/dev/null
fi
cmake --build "$build" --target bench-codec -j "${BUILD_JOBS:-2}" >/dev/null
exec /usr/bin/python3 "$root/bench/codec/run_bench.py" --bench-bin "$build/bench-codec" \
  --workdir "${BENCH_WORKDIR:-/tmp/panel-bench-codec}" "$@"
