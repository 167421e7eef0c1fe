#!/usr/bin/env bash
# Runs the test tiers against the built tree. `make test` runs them all; pass tier
# names to run some: unit mock api e2e fuzz sanitize.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${BUILD_DIR:-build}
tiers=("$@")
[ ${#tiers[@]} -gt 0 ] || tiers=(unit sanitize fuzz mock api e2e)
export PANEL_BIN="$root/$build_dir/image-panel"
export MOCK_UPSTREAM_BIN="$root/$build_dir/mock-upstream"
failed=()

run_tier() {
  local name=$1
  shift
  echo
  echo "=== $name ==="
  local start=$SECONDS
  if "$@"; then
    echo "=== $name: passed ($((SECONDS - start)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
    failed+=("$name")
  fi
}

for tier in "${tiers[@]}"; do
  case "$tier" in
    unit) run_tier unit ctest --test-dir "$build_dir" --output-on-failure ;;
    sanitize)
      if [ -x scripts/sanitize.sh ]; then run_tier sanitize bash scripts/sanitize.sh; fi ;;
    fuzz)
      if [ -x scripts/fuzz.sh ]; then run_tier fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash scripts/fuzz.sh; fi ;;
    mock)
      if [ -d tests/mock_upstream ]; then
        run_tier mock /usr/bin/python3 -m unittest discover -s tests/mock_upstream -t . 
      fi ;;
    api) run_tier api /usr/bin/python3 -m unittest discover -s tests/api -t . ;;
    e2e) run_tier e2e bash tests/e2e/run.sh ;;
    *) echo "unknown tier: $tier" >&2; exit 2 ;;
  esac
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED tiers: ${failed[*]}"
  exit 1
fi
echo "All test tiers passed."
