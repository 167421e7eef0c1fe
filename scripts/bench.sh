#!/usr/bin/env bash
# `make bench`: every benchmark, each printing ratios against baselines measured
# in the same run (never absolute timings in tests).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "=== codec: thumbnails/s and peak memory vs Pillow and vipsthumbnail"
bash scripts/bench-codec.sh "$@"
echo
echo "=== jobs: pipeline overhead over the codec, SSE fan-out to 5,000 streams"
bash scripts/bench-jobs.sh
echo
echo "=== gallery: /api/gallery at 100,000 rows, /api/image vs nginx, vs a FastAPI ceiling, export memory"
bash scripts/bench-gallery.sh
