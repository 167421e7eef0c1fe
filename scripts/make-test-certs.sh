#!/usr/bin/env bash
# make-test-certs.sh DIR: a throw-away test CA and a server certificate for
# localhost and 127.0.0.1 (TOOLCHAIN.md §5), for the mock upstream and tests.
# Idempotent: existing files are kept. Never use these certificates for anything real.
set -euo pipefail

if [[ $# -ne 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  echo "usage: $0 DIR   (writes DIR/ca.crt, DIR/ca.key, DIR/server.crt, DIR/server.key)" >&2
  exit 2
fi
dir=$1
mkdir -p "$dir"
cd "$dir"

if [[ -s ca.crt && -s ca.key && -s server.crt && -s server.key ]] &&
   openssl verify -CAfile ca.crt server.crt >/dev/null 2>&1; then
  exit 0
fi

umask 077
if [[ ! -s ca.crt || ! -s ca.key ]]; then
  rm -f server.crt server.key  # a new CA invalidates any old server certificate
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout ca.key -out ca.crt -days 3650 -subj "/CN=Image Panel Test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n" > ext.cnf
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
  -out server.crt -days 825 -extfile ext.cnf 2>/dev/null
rm -f server.csr ext.cnf ca.srl
chmod 644 ca.crt server.crt
openssl verify -CAfile ca.crt server.crt >/dev/null
