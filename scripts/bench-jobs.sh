#!/usr/bin/env bash
# Job pipeline and SSE fan-out benchmark (issue 4): jobs/s and the pipeline's CPU
# per image against codec::validate of the same image, then 5,000 SSE streams:
# memory per stream and event latency. See bench/jobs/run_bench.py.
#
# Usage: scripts/bench-jobs.sh [--jobs N] [--active N] [--subscribers N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${BUILD_DIR:-$root/build}")
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DPANEL_BENCH=ON >/dev/null
fi
cmake --build "$build" --target image-panel mock-upstream bench-sse bench-validate bench-codec -j "${BUILD_JOBS:-2}" >/dev/null
exec /usr/bin/python3 "$root/bench/jobs/run_bench.py" --build "$build" "$@"
