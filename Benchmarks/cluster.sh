#!/usr/bin/env bash
# Plays/s through one node vs two nodes sharing one Redis, with the same total worker threads, then
# sign requests/s on the signer's node vs across nodes through Redis; all in one run.
#   Benchmarks/cluster.sh [path/to/circles]   (default: .build/release/circles)
# Starts its own redis-server on PORT (default 6412) and the nodes on PORT+1, PORT+2.
# On a machine with few cores this shows the cost of the extra hop, not a speed-up: two nodes and
# their workers share the same cores as one node and its workers.
set -euo pipefail
CIRCLES=${1:-.build/release/circles}
PORT=${PORT:-6412}
DURATION=${DURATION:-10}
THREADS=${THREADS:-4}          # worker threads in total, in both layouts
CIRCLE_COUNT=${CIRCLE_COUNT:-4}  # circles the nodes serve; the sessions are spread over them
CONNECTIONS=${CONNECTIONS:-8}  # sessions in total, in both layouts
SIGNS=${SIGNS:-5000}
dir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$dir" >/dev/null
for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/secret"; chmod 600 "$dir/secret"
# Several circles: a circle runs one play at a time (its turn), so one hot circle measures the turn's
# hand-offs through Redis, not the nodes and workers.
circles=(); for _ in $(seq "$CIRCLE_COUNT"); do circles+=("$("$CIRCLES" keygen | sed -n 2p)"); done
circle_flags=(); for c in "${circles[@]}"; do circle_flags+=(--circle "$c"); done
redis="redis://127.0.0.1:$PORT"
serve() { "$CIRCLES" serve --port "$1" "${circle_flags[@]}" --redis-url "$redis" --no-workers --no-auth --task-secret-file "$dir/secret" \
            --max-in-flight 64 --data-dir "$dir/data" >/dev/null 2>&1 & pids+=($!); }
worker() { "$CIRCLES" worker --redis-url "$redis" "${circle_flags[@]}" --task-secret-file "$dir/secret" --concurrency "$1" \
             --data-dir "$dir/data" >/dev/null 2>&1 & pids+=($!); }
listening() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; echo "node on $1 did not start" >&2; exit 1; }
throughput() { grep -o 'throughput *[0-9.]*' | grep -o '[0-9.]*$'; }
# Plays/s through the node on port $1 with $2 connections spread over the circles (one load process each).
bench() {
  local out loads=(); out=$(mktemp -d)
  for i in "${!circles[@]}"; do
    "$CIRCLES" bench play --url "ws://127.0.0.1:$1/${circles[$i]}" --connections $(( ($2 + i) / ${#circles[@]} > 0 ? ($2 + i) / ${#circles[@]} : 1 )) \
      --in-flight 8 --duration "$DURATION" 2>&1 | throughput >"$out/$i" &
    loads+=($!)
  done
  wait "${loads[@]}"
  awk '{ s += $1 } END { printf "%.0f", s }' "$out"/*; rm -rf "$out"
}

serve $((PORT + 1)); serve $((PORT + 2)); listening $((PORT + 1)); listening $((PORT + 2))
worker "$THREADS"
one=$(bench $((PORT + 1)) "$CONNECTIONS")
kill "${pids[-1]}"; unset 'pids[-1]'
worker $((THREADS / 2)); worker $((THREADS - THREADS / 2))
bench $((PORT + 1)) $((CONNECTIONS / 2)) >"$dir/a" & first=$!
bench $((PORT + 2)) $((CONNECTIONS - CONNECTIONS / 2)) >"$dir/b"
wait "$first"
two=$(awk '{ s += $1 } END { printf "%.0f", s }' "$dir/a" "$dir/b")
echo "plays: one node + 1 worker ($THREADS threads): $one plays/s; two nodes + 2 workers ($THREADS threads in all): $two plays/s; load $(cut -d' ' -f1 /proc/loadavg)"
"$CIRCLES" bench sign --redis-url "$redis" --requests "$SIGNS" | tail -2
