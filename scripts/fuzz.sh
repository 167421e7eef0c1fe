#!/usr/bin/env bash
# Bounded libFuzzer run of every codec fuzz target (issue 3).
#
# Builds tests/fuzz with clang (ASan + UBSan + libFuzzer) in its own build dir,
# writes a seed corpus of every format once, then runs each target for
# FUZZ_SECONDS (default 20) on a corpus kept between runs. Exits non-zero on
# the first crash, leak, timeout or sanitizer report (the reproducer is left
# in the build dir as crash-*/leak-*/timeout-*).
#
# Env: FUZZ_SECONDS (20), FUZZ_BUILD_DIR (build-fuzz), FUZZ_TARGETS ("sniff validate thumbnail transcode multipart")
# Longer runs: FUZZ_SECONDS=3600 scripts/fuzz.sh, or run one target by hand:
#   build-fuzz/tests/fuzz/fuzz_validate build-fuzz/fuzz-corpus/validate build-fuzz/fuzz-corpus/seeds
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${FUZZ_BUILD_DIR:-$root/build-fuzz}")
seconds=${FUZZ_SECONDS:-20}
targets=${FUZZ_TARGETS:-"sniff validate thumbnail transcode multipart"}

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPANEL_FUZZ=ON -DPANEL_BENCH=OFF >/dev/null
fi
build_targets=(fuzz_seeds)
for t in $targets; do build_targets+=("fuzz_$t"); done
cmake --build "$build" --target "${build_targets[@]}" -j "${BUILD_JOBS:-2}"

corpus=$build/fuzz-corpus
if [ ! -d "$corpus/seeds" ]; then
  "$build/tests/fuzz/fuzz_seeds" "$corpus/seeds"
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in $targets; do
  mkdir -p "$corpus/$t"
  # Targets with their own seeds (tests/fuzz/seeds/<target>) start from those.
  seeds=$corpus/seeds
  if [ -d "$root/tests/fuzz/seeds/$t" ]; then seeds=$root/tests/fuzz/seeds/$t; fi
  echo "== fuzz_$t: ${seconds}s"
  if ! (cd "$build" && "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=262144 -print_final_stats=1 "$corpus/$t" "$seeds" 2>"$build/fuzz_$t.log"); then
    echo "fuzz_$t FAILED; see $build/fuzz_$t.log"
    tail -40 "$build/fuzz_$t.log"
    status=1
    break
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz_$t.log" | tr '\n' ' '
  echo "corpus: $(ls "$corpus/$t" | wc -l) files"
done
exit $status
