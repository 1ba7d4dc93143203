#!/usr/bin/env bash
# Authentication handshakes per CPU-second of the node alone: `circles serve --auth` in its own
# process, `circles bench auth --url` as the load from another, the node's CPU time read from
# /proc before and after. Compare with the verify rate `bench auth` prints (libsecp256k1, one core).
#   Benchmarks/auth-node-cpu.sh [path/to/circles]   (default: .build/release/circles)
# PIN=1 runs the node on core 0 alone (one event loop: it follows its CPU affinity) and the load on
# core 1, so the node saturates exactly one core: the cleanest reading of "per core used".
set -euo pipefail
CIRCLES=${1:-.build/release/circles}
PORT=${PORT:-61100}   # above the ephemeral range (32768-60999), so no client socket holds it
CONNECTIONS=${CONNECTIONS:-8}
SECONDS_RUN=${SECONDS_RUN:-5}
NODE_PIN=(); LOAD_PIN=()
if [ "${PIN:-0}" = 1 ]; then NODE_PIN=(taskset -c 0); LOAD_PIN=(taskset -c 1); fi
work=$(mktemp -d)
circle=$("$CIRCLES" keygen --out "$work/circle.key" 2>/dev/null | tail -1)
"${NODE_PIN[@]}" "$CIRCLES" serve --port "$PORT" --circle "$circle" --auth --data-dir "$work/data" >"$work/serve.log" 2>&1 &
node=$!
trap 'kill $node 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
ticks() { awk '{ print $14 + $15 }' /proc/"$node"/stat; }
before=$(ticks)
"${LOAD_PIN[@]}" "$CIRCLES" bench auth --url "ws://127.0.0.1:$PORT/$circle" --connections "$CONNECTIONS" --duration "$SECONDS_RUN" | tee "$work/bench.log"
after=$(ticks)
done_count=$(grep -o 'handshakes *[0-9]*' "$work/bench.log" | grep -o '[0-9]*$')
verifies=$(grep -o '[0-9]* verifies/s' "$work/bench.log" | grep -o '^[0-9]*')
awk -v n="$done_count" -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" -v v="$verifies" 'BEGIN {
  cpu = t / hz; rate = n / cpu
  printf "node: %d handshakes in %.2f CPU-seconds = %d per node CPU-second, %.0f %% of %d verifies/s\n", n, cpu, rate, 100 * rate / v, v }'
