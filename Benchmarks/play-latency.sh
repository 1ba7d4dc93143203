#!/usr/bin/env bash
# One play at a time, through Redis and through the embedded queue, beside redis-benchmark's own
# round trips (LPUSH and BLPOP on one connection), interleaved for ROUNDS rounds so that the ratios
# come from the same moments of a noisy machine. Prints one line per measurement.
#   Benchmarks/play-latency.sh [path/to/circles]   (default: .build/release/circles)
# Needs redis-server and redis-benchmark; starts its own redis-server on PORT (default 6411).
set -euo pipefail
CIRCLES=${1:-.build/release/circles}
PORT=${PORT:-6411}
ROUNDS=${ROUNDS:-3}
PLAYS=${PLAYS:-3000}
if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
  redis-server --port "$PORT" --save '' --appendonly no --daemonize yes >/dev/null
  trap 'redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true' EXIT
  for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
p50() { grep -o 'p50[= ][0-9.]*' | head -1 | grep -o '[0-9.]*$'; }
for round in $(seq "$ROUNDS"); do
  redis-cli -p "$PORT" flushall >/dev/null
  lpush=$(redis-benchmark -p "$PORT" -c 1 -n 20000 -q LPUSH benchq x 2>&1 | tr '\r' '\n' | tail -1 | p50)
  blpop=$(redis-benchmark -p "$PORT" -c 1 -n 20000 -q BLPOP benchq 1 2>&1 | tr '\r' '\n' | tail -1 | p50)
  redis=$("$CIRCLES" bench play --connections 1 --in-flight 1 --requests "$PLAYS" --redis-url "redis://127.0.0.1:$PORT" 2>&1 | p50)
  embedded=$("$CIRCLES" bench play --connections 1 --in-flight 1 --requests "$PLAYS" 2>&1 | p50)
  ratio=$(awk -v r="$redis" -v a="$lpush" -v b="$blpop" 'BEGIN { printf "%.2f", r / (a + b) }')
  echo "round $round: redis-benchmark LPUSH p50 $lpush ms, BLPOP p50 $blpop ms; play through Redis p50 $redis ms ($ratio x LPUSH+BLPOP); play embedded p50 $embedded ms; load $(cut -d' ' -f1 /proc/loadavg)"
done
