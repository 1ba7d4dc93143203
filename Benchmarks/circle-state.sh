#!/usr/bin/env bash
# Circle state: read-modify-write plays (one hot circle, 8 circles; embedded and Redis) beside the floors
# (a bare SQLite loop with the same durability; one EVALSHA round trip) and a play without data.
# Run on an otherwise idle machine: swift build -c release first (or CIRCLES=path/to/circles). Results go to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CIRCLES:-.build/release/circles}
port=${CIRCLES_BENCH_REDIS_PORT:-6391}
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync everysec --dir "$dir" --daemonize yes \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
trap 'kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis="redis://127.0.0.1:$port"
rmw='let v = 0; try { v = load_data("n"); } catch { } save_data("n", v + 1); v + 1'
duration=${DURATION:-10}
workers=${WORKERS:-8}
$bin bench state-floor --requests "${REQUESTS:-5000}" --directory "${DATA_DIR:-$dir}" --redis-url "$redis"
for queue in embedded redis; do
  extra=(); [[ $queue == redis ]] && extra=(--redis-url "$redis")
  $bin bench play --duration "$duration" --workers "$workers" --script '40 + 2' "${extra[@]}"
  $bin bench play --duration "$duration" --workers "$workers" --circles 1 --script "$rmw" "${extra[@]}"
  $bin bench play --duration "$duration" --workers "$workers" --circles 8 --script "$rmw" "${extra[@]}"
done
