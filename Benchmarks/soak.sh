#!/usr/bin/env bash
# Soak: MINUTES (default 10) of honest callers (authentications and small plays, timed) beside
# abusive ones (pipelined HTTP floods never read, nonce floods, 2 MiB messages, hundreds of idle
# connections, endless loops and distinct 60 KiB scripts from one caller over 8 sessions) against a
# release node on loopback with authentication on. Prints the node's RSS every 10 s, then the honest
# callers' p50/p99 latencies, what the abusive callers saw and every error. Bounded in time and count.
#   Benchmarks/soak.sh [MINUTES] [path/to/circles]   (default: 10, .build/release/circles)
# SPLIT=1 serves a second circle and sends the expensive caller there: the honest callers' circle then
# shares the node but not its turns (plays of one circle run one at a time, so in the same circle an
# honest play can wait behind an abusive one up to its time limit).
# Needs python3 with websockets and coincurve (scripts/setup.sh installs them).
set -euo pipefail
MINUTES=${1:-10}
CIRCLES=${2:-.build/release/circles}
[[ -x $CIRCLES ]] || { echo "build first: swift build -c release" >&2; exit 2; }
dir=$(mktemp -d)
circle=$("$CIRCLES" keygen 2>/dev/null | grep -oE '0[23][0-9a-f]{64}' | head -1 || true)
[[ -n $circle ]] || circle=02$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
other=$("$CIRCLES" keygen 2>/dev/null | grep -oE '0[23][0-9a-f]{64}' | head -1)
circles=(--circle "$circle"); abuse=()
if [[ ${SPLIT:-0} == 1 ]]; then circles+=(--circle "$other"); abuse=(--abuse-url "ws://127.0.0.1:$port/$other"); fi
"$CIRCLES" serve --auth "${circles[@]}" --port "$port" --data-dir "$dir/data" --play-timeout 15 >"$dir/node.out" 2>"$dir/node.err" &
node=$!
trap 'kill "$node" 2>/dev/null || true; wait "$node" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do grep -q "circle " "$dir/node.out" 2>/dev/null && break; sleep 0.1; done
echo "soak: $MINUTES min against $CIRCLES (pid $node, port $port, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
python3 "$(dirname "$0")/soak.py" --url "ws://127.0.0.1:$port/$circle" "${abuse[@]}" --pid "$node" --minutes "$MINUTES"
echo "== node =="
if kill -0 "$node" 2>/dev/null; then echo "alive"; else echo "DIED"; tail -20 "$dir/node.err"; fi
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^circles_(plays|plays_refused|plays_stopped|connections_refused|accept_errors|auth)_total' || true
