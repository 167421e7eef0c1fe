#!/usr/bin/env bash
# demo.sh: run the panel against the mock upstream over HTTPS (`make demo`).
# Builds nothing: expects build/mock-upstream and build/image-panel.
# Everything it writes stays in ./data/demo-certs, ./data/demo and ./images-demo.
set -euo pipefail
cd "$(dirname "$0")/.."

mock_bin=${MOCK_UPSTREAM_BIN:-build/mock-upstream}
panel_bin=${IMAGE_PANEL_BIN:-build/image-panel}
panel_port=${DEMO_PANEL_PORT:-9090}
for bin in "$mock_bin" "$panel_bin"; do
  if [[ ! -x "$bin" ]]; then
    echo "demo: $bin is missing; build first (make build)" >&2
    exit 1
  fi
done

certs=data/demo-certs
scripts/make-test-certs.sh "$certs"
mkdir -p data/demo images-demo
chmod 700 data/demo

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/image-panel-demo.XXXXXX")
port_file=$run_dir/mock-port
"$mock_bin" --host 127.0.0.1 --port 0 --tls-cert "$certs/server.crt" --tls-key "$certs/server.key" \
  --port-file "$port_file" >/dev/null &
mock_pid=$!
panel_pid=
cleanup() {
  if [[ -n "$panel_pid" ]]; then
    kill "$panel_pid" 2>/dev/null || true
    wait "$panel_pid" 2>/dev/null || true
  fi
  kill "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
  rm -rf "$run_dir"
}
trap cleanup EXIT
# Turn Ctrl-C/TERM into a normal exit so the EXIT trap stops the mock.
trap 'exit 130' INT TERM

for _ in $(seq 1 100); do
  [[ -s "$port_file" ]] && break
  if ! kill -0 "$mock_pid" 2>/dev/null; then
    echo "demo: mock-upstream failed to start" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ ! -s "$port_file" ]]; then
  echo "demo: mock-upstream did not report its port" >&2
  exit 1
fi
mock_port=$(cat "$port_file")

if [[ ! -s data/demo/access_key ]]; then
  (umask 077 && openssl rand -hex 16 > data/demo/access_key)
fi
chmod 600 data/demo/access_key

export MOCK_API_KEY=demo
export DEFAULT_API_URL="https://127.0.0.1:${mock_port}"
# Stored as an env reference, resolved by the panel from MOCK_API_KEY.
export DEFAULT_API_KEY='${MOCK_API_KEY}'
export EXTRA_CA_FILE="$PWD/$certs/ca.crt"
export PRIVATE_NETWORK_ALLOWLIST=127.0.0.1,localhost
export ALLOW_PLAINTEXT_SECRETS=false
export DATA_DIR=./data/demo
export IMAGES_DIR=./images-demo
ACCESS_KEY=$(cat data/demo/access_key)
export ACCESS_KEY

cat <<INFO
Image Panel demo
  panel:          http://127.0.0.1:${panel_port}
  access key:     ${ACCESS_KEY}
  mock upstream:  https://127.0.0.1:${mock_port}  (stats: /mock/stats)
  prompt markers: add e.g. [mock:delay=2000] or [mock:status=500] to a prompt
Press Ctrl-C to stop.
INFO
# In the background and waited for, so that a signal reaches the traps at once
# instead of after the panel happens to exit.
"$panel_bin" --host 127.0.0.1 --port "$panel_port" &
panel_pid=$!
status=0
wait "$panel_pid" || status=$?
panel_pid=
exit "$status"
