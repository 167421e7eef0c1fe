#!/usr/bin/env bash
# Installs the Debian packages Image Panel needs to build, run and test.
# Idempotent: does nothing when every package is already installed.
# Usage: scripts/setup-deps.sh [--runtime|--build|--test|--bench]  (default: --test, i.e. everything
# but the benchmark baselines; --bench: build + the baselines `make bench` compares against)
set -euo pipefail

runtime=(libcaf-core0.17 libcaf-io0.17 libsqlite3-0 libssl3 libcurl4 libturbojpeg0 libpng16-16 libwebp7
  libwebpdemux2 libwebpmux3 libzip4 libgif7 libtiff6 libavif15 libheif1 libsimdjson14 ca-certificates)
build=(g++ make cmake ninja-build ccache pkg-config libcaf-dev libboost-dev libboost-system-dev libsimdjson-dev
  libsqlite3-dev libssl-dev libcurl4-openssl-dev libturbojpeg0-dev libjpeg62-turbo-dev libpng-dev libwebp-dev
  libzip-dev zlib1g-dev libgif-dev libtiff-dev libavif-dev libheif-dev libexpected-dev catch2 sqlite3 openssl)
test=(chromium fonts-wqy-microhei curl python3 python3-pil python3-botocore libvips-tools clang libclang-rt-14-dev prometheus)
# Load generator and the baselines of the gallery benchmark (bench/gallery);
# uvloop and httptools make uvicorn as fast as it gets (the FastAPI ceiling).
bench=(wrk nginx python3-fastapi python3-uvicorn python3-uvloop python3-httptools curl python3)

mode=${1:---test}
case "$mode" in
  --runtime) want=("${runtime[@]}") ;;
  --build) want=("${runtime[@]}" "${build[@]}") ;;
  --test) want=("${runtime[@]}" "${build[@]}" "${test[@]}") ;;
  --bench) want=("${runtime[@]}" "${build[@]}" "${bench[@]}") ;;
  *) echo "usage: $0 [--runtime|--build|--test|--bench]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# The web app needs Node.js >= 20.19 (Vite 8); only building it needs it
# (the benchmarks build the binaries only).
needs_node=true
case "$mode" in --runtime|--bench) needs_node=false ;; esac
if $needs_node && ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

check_node() {
  $needs_node || return 0
  local v
  v=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then
    echo "setup-deps: Node.js >= 20.19 is required to build the web app (found: $v)." >&2
    echo "setup-deps: install Node.js 20 or newer (e.g. from your distribution's backports) and run again." >&2
    exit 1
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  check_node
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "setup-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
check_node
