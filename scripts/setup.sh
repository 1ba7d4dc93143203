#!/usr/bin/env bash
# Installs what circles needs on a Debian machine, skipping what is already there.
set -euo pipefail
need=()
for pkg in libsecp256k1-dev libssl-dev libhiredis-dev libsqlite3-dev redis-server redis-sentinel pkg-config; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
# systemd-analyze verifies deploy/circles.service in the tests.
command -v systemd-analyze >/dev/null || need+=(systemd)
if ((${#need[@]})); then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "setup: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Independent peers for the interoperability tests (Python's websockets, coincurve and cryptography),
# and jsonschema, which checks openrpc.json against the OpenRPC meta-schema.
if [[ ${CIRCLES_SKIP_PYTHON:-0} != 1 ]] && command -v python3 >/dev/null; then
  python3 -c 'import websockets, coincurve, cryptography, jsonschema' 2>/dev/null ||
    python3 -m pip install -q websockets coincurve cryptography jsonschema >&2 || echo "setup: pip install failed; the interoperability tests will fail" >&2
fi
