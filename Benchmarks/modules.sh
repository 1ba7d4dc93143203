#!/usr/bin/env bash
# Plays that import an operator's module (200 small functions, 15 KiB) against the same call with the
# function written in the script, on the in-process node (8 connections × 8 in flight, 2 worker
# threads), alternated for ROUNDS rounds; each binary given is measured importing.
#   Benchmarks/modules.sh [path/to/circles ...]   (default: .build/release/circles)
# Results go to BENCHMARKS.md ("Plays that import a module").
set -euo pipefail
ROUNDS=${ROUNDS:-3}
BINARIES=("$@")
[ ${#BINARIES[@]} -gt 0 ] || BINARIES=(.build/release/circles)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 0 199); do
  echo "fn f$i(x) { let y = x * $i + 1; if y > 1000 { y % 1000 } else { y - $i } }"
done > "$work/lib.rhai"
echo 'fn answer(x) { x + 1 }' >> "$work/lib.rhai"
bench() {
  "$1" bench play --module "lib=$work/lib.rhai" --script "$2" --requests 1000 --connections 8 --in-flight 8 |
    awk '/throughput/ { t = $2 } /latency/ { p = $4 } END { printf "%s plays/s, p50 %s ms\n", t, p }'
}
for round in $(seq 1 "$ROUNDS"); do
  for binary in "${BINARIES[@]}"; do
    echo "round $round  $binary  import: $(bench "$binary" 'import "lib" as l; l::answer(41)')"
  done
  echo "round $round  ${BINARIES[0]}  inline: $(bench "${BINARIES[0]}" 'fn answer(x) { x + 1 } answer(41)')"
done
