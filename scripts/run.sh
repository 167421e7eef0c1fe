#!/usr/bin/env bash
# `make run`: start the panel on its embedded defaults (SQLite in ./data, images in
# ./images) on http://127.0.0.1:9090. On first start, when no ACCESS_KEY is configured
# (environment or .env), a random key is generated, kept in ./data/access_key (0600)
# and printed; nothing is ever served unprotected by accident.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
data_dir=${DATA_DIR:-./data}
host=${HOST:-127.0.0.1}
port=${PORT:-9090}

configured_key() {
  if [ -n "${ACCESS_KEY:-}" ]; then
    return 0
  fi
  [ -f .env ] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?ACCESS_KEY=[^[:space:]]' .env
}

umask 077
mkdir -p "$data_dir"
chmod 700 "$data_dir"
if ! configured_key && [ "${ALLOW_UNAUTHENTICATED:-}" != "true" ]; then
  key_file="$data_dir/access_key"
  if [ ! -s "$key_file" ]; then
    openssl rand -hex 16 >"$key_file"
    chmod 600 "$key_file"
    echo "Generated an access key in $key_file"
  fi
  ACCESS_KEY=$(cat "$key_file")
  export ACCESS_KEY
  echo
  echo "  Image Panel: http://$host:$port"
  echo "  Access key:  $ACCESS_KEY"
  echo
fi
# Plain HTTP on loopback: a Secure cookie would never be sent back, so default it
# off here unless the user chose a value (environment or .env).
if [ -z "${ACCESS_COOKIE_SECURE:-}" ] && ! { [ -f .env ] && grep -Eq '^[[:space:]]*(export[[:space:]]+)?ACCESS_COOKIE_SECURE=' .env; }; then
  export ACCESS_COOKIE_SECURE=false
fi
export DATA_DIR="$data_dir"
exec "$build_dir/image-panel" --host "$host" --port "$port"
